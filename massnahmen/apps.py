from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MassnahmenConfig(AppConfig):
    name = "massnahmen"
    verbose_name = _("Maßnahmen")

    def ready(self) -> None:
        from massnahmen import policies
        from massnahmen.services.standsummen import rebuild_standsummen_fuer
        from strategie import policies as strategie_policies
        from strategie.services.organisationen import register_organisationsfolge

        strategie_policies.register_objektrechte(policies.derive_objektrechte)
        register_organisationsfolge(rebuild_standsummen_fuer)
