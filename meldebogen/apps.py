from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeldebogenConfig(AppConfig):
    name = "meldebogen"
    verbose_name = _("Meldebogen")
