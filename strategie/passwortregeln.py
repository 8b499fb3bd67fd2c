"""Django's password rules with messages in the portal's German (Sie-Form), where Django's own translation is stiff
or ungrammatical ("zu ähnlich zu E-Mail-Adresse")."""

from __future__ import annotations

from django.contrib.auth import password_validation


class AehnlichkeitsRegel(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        return "Das Passwort ähnelt zu sehr der Angabe „%(verbose_name)s“ Ihres Kontos. Bitte wählen Sie ein anderes."

    def get_help_text(self) -> str:
        return "Das Passwort darf Ihrem Namen, Benutzernamen oder Ihrer E-Mail-Adresse nicht zu ähnlich sein."


class HaeufigkeitsRegel(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return "Dieses Passwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes."

    def get_help_text(self) -> str:
        return "Das Passwort darf kein häufig verwendetes Passwort sein."


class ZiffernRegel(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Das Passwort besteht nur aus Ziffern. Bitte verwenden Sie auch Buchstaben oder Sonderzeichen."

    def get_help_text(self) -> str:
        return "Das Passwort darf nicht nur aus Ziffern bestehen."
