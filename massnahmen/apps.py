from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MassnahmenConfig(AppConfig):
    name = "massnahmen"
    verbose_name = _("Maßnahmen")

    def ready(self) -> None:
        from massnahmen import policies
        from strategie import policies as strategie_policies

        strategie_policies.register_objektrechte(policies.derive_objektrechte)
