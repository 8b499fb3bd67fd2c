from django.urls import path

from berichte.views import berichte as bericht_views

app_name = "berichte"

urlpatterns = [
    # Berichte (PDF reports): list, create, texts, PDF, release, versions
    path("berichte/", bericht_views.bericht_liste, name="liste"),
    path("berichte/neu/", bericht_views.bericht_anlegen, name="anlegen"),
    path("berichte/<int:pk>/", bericht_views.bericht_detail, name="detail"),
    path("berichte/<int:pk>/status/", bericht_views.bericht_status, name="status"),
    path("berichte/<int:pk>/texte/<slug:feld>/", bericht_views.bericht_text_speichern, name="text"),
    path("berichte/<int:pk>/pdf-erzeugen/", bericht_views.bericht_pdf_erzeugen, name="pdf_erzeugen"),
    path("berichte/<int:pk>/freigeben/", bericht_views.bericht_freigeben, name="freigeben"),
    path("berichte/<int:pk>/neue-version/", bericht_views.bericht_neue_version, name="neue_version"),
    path("berichte/<int:pk>/bericht.pdf", bericht_views.bericht_herunterladen, name="herunterladen"),
]
