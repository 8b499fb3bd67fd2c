from django.urls import path

from massnahmen import views, views_meldungen

app_name = "massnahmen"

urlpatterns = [
    path("<str:code>/", views.massnahme_detail, name="detail"),
    path("<str:code>/melden/", views_meldungen.statusmeldung_erfassen, name="melden"),
]
