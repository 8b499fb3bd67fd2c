"""Django's password rules with messages in the portal's German (Sie-Form), where Django's own translation is stiff
or ungrammatical ("zu ähnlich zu E-Mail-Adresse")."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError

DATEN = Path(__file__).resolve().parent / "daten"
HAEUFIG = "Dieses Passwort ist zu verbreitet und leicht zu erraten. Bitte wählen Sie ein anderes."
NAMENSAEHNLICH = (
    "Das Passwort besteht im Wesentlichen aus Ihrem Namen, Benutzernamen oder Ihrer E-Mail-Adresse. "
    "Bitte wählen Sie ein anderes."
)


# Leetspeak a person uses to dress up a word ("P@ssw0rt"): undone before the word is looked up.
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "3": "e", "1": "i", "!": "i", "$": "s", "5": "s", "7": "t"})
_RAND = re.compile(r"^[\W\d_]+|[\W\d_]+$")  # digits and signs before and after the word ("!!2026")


def _kernwort(passwort: str) -> str:
    """The word in a password without what is usually put around it: "Sommer2026!!" → "sommer"."""
    return _RAND.sub("", passwort.lower()).translate(_LEET)


@functools.cache
def _deutsche_passwoerter() -> frozenset[str]:
    zeilen = (DATEN / "passwoerter-de.txt").read_text(encoding="utf-8").splitlines()
    eintraege = {z.strip().lower() for z in zeilen if z.strip() and not z.startswith("#")}
    return frozenset(eintraege | {k for k in map(_kernwort, eintraege) if len(k) >= 4})


class AehnlichkeitsRegel(password_validation.UserAttributeSimilarityValidator):
    """Django's similarity rule, and: the password must not be made of the person's own user name, names or e-mail
    address with a few digits or signs around them ("mmueller-Mueller1", "Kusel2026Demo!"). Django's rule compares
    the whole password with each name and lets such combinations pass; here what remains without the names must be
    a word of its own."""

    mindestrest = 6  # letters that must remain besides the person's own names

    def validate(self, password: str, user=None) -> None:
        super().validate(password, user)
        if user is None:
            return
        teile = set()
        for attribut in self.user_attributes:
            wert = str(getattr(user, attribut, "") or "").lower()
            teile.update(t for t in re.split(r"[\W_]+", wert) if len(t) >= 3)
        rest, gefunden = password.lower(), False
        for teil in sorted(teile, key=len, reverse=True):
            if teil in rest:
                rest, gefunden = rest.replace(teil, ""), True
        if gefunden and len(re.sub(r"[\W\d_]+", "", rest)) < self.mindestrest:
            raise ValidationError(NAMENSAEHNLICH, code="password_too_similar")

    def get_error_message(self) -> str:
        return "Das Passwort ähnelt zu sehr der Angabe „%(verbose_name)s“ Ihres Kontos. Bitte wählen Sie ein anderes."

    def get_help_text(self) -> str:
        return "Das Passwort darf Ihrem Namen, Benutzernamen oder Ihrer E-Mail-Adresse nicht zu ähnlich sein."


class HaeufigkeitsRegel(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords, and German ones, also with digits, signs or leetspeak around or in
    the word: "passwort1234", "Sommer2026!!", "Landkreis2026", "P@ssw0rt!". The German list and its sources:
    strategie/daten/passwoerter-de.txt."""

    def validate(self, password: str, user=None) -> None:
        super().validate(password, user)
        woerter = _deutsche_passwoerter()
        if password.lower() in woerter or _kernwort(password) in woerter:
            raise ValidationError(HAEUFIG, code="password_too_common")

    def get_error_message(self) -> str:
        return HAEUFIG

    def get_help_text(self) -> str:
        return "Das Passwort darf kein häufig verwendetes Passwort sein, auch nicht mit angehängten Ziffern."


class ZiffernRegel(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Das Passwort besteht nur aus Ziffern. Bitte verwenden Sie auch Buchstaben oder Sonderzeichen."

    def get_help_text(self) -> str:
        return "Das Passwort darf nicht nur aus Ziffern bestehen."
