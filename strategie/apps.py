from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategieConfig(AppConfig):
    name = "strategie"
    verbose_name = _("Strategien")

    def ready(self) -> None:
        from strategie import anmeldung, checks  # noqa: F401 - security event receivers, system checks
