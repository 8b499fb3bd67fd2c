from django.urls import path

from berichte.views import berichte as bericht_views
from berichte.views import dashboard

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
    # Dashboard, Organisationsprofil and their exports (as-of selectors, charts, CSV/XLSX)
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/<slug:tabelle>.<slug:format>", dashboard.dashboard_export, name="dashboard_export"),
    path("organisationen/<slug:kennung>/", dashboard.organisationsprofil, name="organisationsprofil"),
    path(
        "organisationen/<slug:kennung>/export/<slug:tabelle>.<slug:format>",
        dashboard.organisationsprofil_export,
        name="organisationsprofil_export",
    ),
]
