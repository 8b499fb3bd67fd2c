"""Root URLconf, and the routes of the strategie app itself (namespace "strategie").

The root includes each other app's urls.py by name (so nothing above strategie is imported from here), in the
order the paths must be tried: the portal's `<slug>/` page comes last.
"""

from django.contrib import admin
from django.urls import include, path

from strategie import converters  # noqa: F401 - registers <massnahme_code:…> and <handlungsfeld_nummer:…>
from strategie.views import anmeldung, verwaltung

handler404 = "strategie.fehler.nicht_gefunden"
handler500 = "strategie.fehler.serverfehler"
handler403 = "strategie.fehler.verboten"
handler400 = "strategie.fehler.ungueltig"

strategie_urlpatterns = [
    path("anmelden/", anmeldung.AnmeldenView.as_view(), name="anmelden"),
    path("abmelden/", anmeldung.AbmeldenView.as_view(), name="abmelden"),
    path("passwort-vergessen/", anmeldung.PasswortVergessenView.as_view(), name="passwort_vergessen"),
    path("passwort-vergessen/gesendet/", anmeldung.PasswortGesendetView.as_view(), name="passwort_gesendet"),
    path("passwort-neu/<uidb64>/<token>/", anmeldung.PasswortNeuView.as_view(), name="passwort_neu"),
    path("passwort-neu/fertig/", anmeldung.PasswortFertigView.as_view(), name="passwort_fertig"),
    path("einladung/rolle/<int:pk>/", anmeldung.rolleneinladung_annehmen, name="rolleneinladung"),
    path("einladung/<uidb64>/<token>/", anmeldung.einladung_annehmen, name="einladung"),
    path("<slug:slug>/benutzer/", verwaltung.benutzer_liste, name="benutzer_liste"),
    path("<slug:slug>/benutzer/einladen/", verwaltung.benutzer_einladen, name="benutzer_einladen"),
    path(
        "<slug:slug>/benutzer/einladungen/<str:einladung>/zurueckziehen/",
        verwaltung.einladung_zurueckziehen,
        name="einladung_zurueckziehen",
    ),
    path("<slug:slug>/benutzer/sichtbarkeit/", verwaltung.sichtbarkeit_setzen, name="sichtbarkeit"),
    path("<slug:slug>/benutzer/rollen/<int:pk>/aendern/", verwaltung.rolle_aendern, name="rolle_aendern"),
    path("<slug:slug>/benutzer/rollen/<int:pk>/entziehen/", verwaltung.rolle_entziehen, name="rolle_entziehen"),
    path(
        "<slug:slug>/benutzer/<int:user_id>/deaktivieren/",
        verwaltung.benutzer_deaktivieren,
        name="benutzer_deaktivieren",
    ),
    path(
        "<slug:slug>/benutzer/<int:user_id>/reaktivieren/",
        verwaltung.benutzer_reaktivieren,
        name="benutzer_reaktivieren",
    ),
    path("<slug:slug>/benutzer/<int:user_id>/entsperren/", verwaltung.benutzer_entsperren, name="benutzer_entsperren"),
    path("<slug:slug>/benutzer/<int:user_id>/verlauf/", verwaltung.benutzer_verlauf, name="benutzer_verlauf"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include((strategie_urlpatterns, "strategie"))),
    path("", include("massnahmen.urls")),
    path("", include("meldebogen.urls")),
    path("<slug:slug>/", include("berichte.urls")),
    path("", include("portal.urls")),
]
