from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategieConfig(AppConfig):
    name = "strategie"
    verbose_name = _("Strategien")

    def ready(self) -> None:
        from django.core.signals import request_finished

        from strategie import anmeldung, checks, speicher  # noqa: F401 - security event receivers, system checks

        request_finished.connect(speicher.nach_anfrage, dispatch_uid="speicher-einfrieren")
