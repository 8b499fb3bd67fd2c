from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.startseite, name="startseite"),
    path("barrierefreiheit/", views.seite, {"template": "seiten/barrierefreiheit.html"}, name="barrierefreiheit"),
    path("impressum/", views.seite, {"template": "seiten/impressum.html"}, name="impressum"),
    path("datenschutz/", views.seite, {"template": "seiten/datenschutz.html"}, name="datenschutz"),
    path("healthz", views.healthz, name="healthz"),
    path("meine-meldungen/", views.meine_meldungen, name="meine_meldungen"),
    path(
        "<slug:slug>/handlungsfelder/<handlungsfeld_nummer:nummer>/", views.handlungsfeld_detail, name="handlungsfeld"
    ),
    path("<slug:slug>/", views.strategie_detail, name="detail"),
]
