from django.urls import path

from massnahmen import views_meldungen
from strategie import views, views_anmeldung

app_name = "strategie"

urlpatterns = [
    path("", views.startseite, name="startseite"),
    path("anmelden/", views.AnmeldenView.as_view(), name="anmelden"),
    path("abmelden/", views.AbmeldenView.as_view(), name="abmelden"),
    path("passwort-vergessen/", views_anmeldung.PasswortVergessenView.as_view(), name="passwort_vergessen"),
    path("passwort-vergessen/gesendet/", views_anmeldung.PasswortGesendetView.as_view(), name="passwort_gesendet"),
    path("passwort-neu/<uidb64>/<token>/", views_anmeldung.PasswortNeuView.as_view(), name="passwort_neu"),
    path("passwort-neu/fertig/", views_anmeldung.PasswortFertigView.as_view(), name="passwort_fertig"),
    path("einladung/<uidb64>/<token>/", views_anmeldung.einladung_annehmen, name="einladung"),
    path("barrierefreiheit/", views.seite, {"template": "seiten/barrierefreiheit.html"}, name="barrierefreiheit"),
    path("impressum/", views.seite, {"template": "seiten/impressum.html"}, name="impressum"),
    path("datenschutz/", views.seite, {"template": "seiten/datenschutz.html"}, name="datenschutz"),
    path("healthz", views.healthz, name="healthz"),
    path("meine-meldungen/", views_meldungen.meine_meldungen, name="meine_meldungen"),
    path("<slug:slug>/", views.strategie_detail, name="detail"),
]
