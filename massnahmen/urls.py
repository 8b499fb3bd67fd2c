from django.urls import path

from massnahmen.views import aenderungen, bearbeiten, berichtsrunden, detail, meldungen

app_name = "massnahmen"

urlpatterns = [
    path("<slug:slug>/massnahmen/<massnahme_code:code>/", detail.massnahme_detail, name="detail"),
    path("<slug:slug>/massnahmen/<massnahme_code:code>/melden/", meldungen.statusmeldung_erfassen, name="melden"),
    path(
        "<slug:slug>/massnahmen/<massnahme_code:code>/beteiligung/",
        bearbeiten.beteiligung_erklaeren,
        name="beteiligung",
    ),
    path("<slug:slug>/massnahmen/<massnahme_code:code>/verlauf/", aenderungen.massnahme_verlauf, name="verlauf"),
    path(
        "<slug:slug>/massnahmen/<massnahme_code:code>/bearbeiten/", bearbeiten.massnahme_bearbeiten, name="bearbeiten"
    ),
    path(
        "<slug:slug>/massnahmen/<massnahme_code:code>/meilensteine/neu/",
        bearbeiten.meilenstein_speichern,
        name="meilenstein_neu",
    ),
    path(
        "<slug:slug>/massnahmen/<massnahme_code:code>/meilensteine/<int:pk>/",
        bearbeiten.meilenstein_speichern,
        name="meilenstein",
    ),
    path("<slug:slug>/berichtsrunden/", berichtsrunden.berichtsrunde_liste, name="berichtsrunde_liste"),
    path("<slug:slug>/berichtsrunden/neu/", berichtsrunden.berichtsrunde_eroeffnen, name="berichtsrunde_eroeffnen"),
    path("<slug:slug>/berichtsrunden/<int:pk>/", berichtsrunden.berichtsrunde_detail, name="berichtsrunde_detail"),
    path(
        "<slug:slug>/berichtsrunden/<int:pk>/schliessen/",
        berichtsrunden.berichtsrunde_schliessen,
        name="berichtsrunde_schliessen",
    ),
    path(
        "<slug:slug>/berichtsrunden/<int:pk>/aendern/",
        berichtsrunden.berichtsrunde_aendern,
        name="berichtsrunde_aendern",
    ),
    path(
        "<slug:slug>/berichtsrunden/<int:pk>/wieder-oeffnen/",
        berichtsrunden.berichtsrunde_wieder_oeffnen,
        name="berichtsrunde_wieder_oeffnen",
    ),
    path(
        "<slug:slug>/berichtsrunden/<int:pk>/loeschen/",
        berichtsrunden.berichtsrunde_loeschen,
        name="berichtsrunde_loeschen",
    ),
    path(
        "<slug:slug>/berichtsrunden/<int:pk>/erinnern/",
        berichtsrunden.berichtsrunde_erinnern,
        name="berichtsrunde_erinnern",
    ),
]
