from django.urls import path

from massnahmen import views, views_aenderungen, views_bearbeiten, views_meldungen

app_name = "massnahmen"

urlpatterns = [
    path("<str:code>/", views.massnahme_detail, name="detail"),
    path("<str:code>/melden/", views_meldungen.statusmeldung_erfassen, name="melden"),
    path("<str:code>/beteiligung/", views_bearbeiten.beteiligung_erklaeren, name="beteiligung"),
    path("<str:code>/verlauf/", views_aenderungen.massnahme_verlauf, name="verlauf"),
    path("<str:code>/bearbeiten/", views_bearbeiten.massnahme_bearbeiten, name="bearbeiten"),
    path("<str:code>/meilensteine/neu/", views_bearbeiten.meilenstein_speichern, name="meilenstein_neu"),
    path("<str:code>/meilensteine/<int:pk>/", views_bearbeiten.meilenstein_speichern, name="meilenstein"),
]
