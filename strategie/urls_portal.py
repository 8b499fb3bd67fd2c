from django.urls import path

from massnahmen import views_meldungen
from strategie import views

app_name = "strategie"

urlpatterns = [
    path("", views.startseite, name="startseite"),
    path("anmelden/", views.AnmeldenView.as_view(), name="anmelden"),
    path("abmelden/", views.AbmeldenView.as_view(), name="abmelden"),
    path("barrierefreiheit/", views.seite, {"template": "seiten/barrierefreiheit.html"}, name="barrierefreiheit"),
    path("impressum/", views.seite, {"template": "seiten/impressum.html"}, name="impressum"),
    path("datenschutz/", views.seite, {"template": "seiten/datenschutz.html"}, name="datenschutz"),
    path("healthz", views.healthz, name="healthz"),
    path("meine-meldungen/", views_meldungen.meine_meldungen, name="meine_meldungen"),
    path("<slug:slug>/", views.strategie_detail, name="detail"),
]
