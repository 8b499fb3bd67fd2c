from django.contrib import admin
from django.urls import include, path

handler404 = "strategie.fehler.nicht_gefunden"
handler500 = "strategie.fehler.serverfehler"
handler403 = "strategie.fehler.verboten"
handler400 = "strategie.fehler.ungueltig"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("<slug:slug>/handlungsfelder/", include("handlungsfelder.urls")),
    path("<slug:slug>/massnahmen/", include("massnahmen.urls")),
    path("<slug:slug>/benutzer/", include("strategie.urls_verwaltung")),
    path("<slug:slug>/berichtsrunden/", include("massnahmen.urls_berichtsrunden")),
    path("<slug:slug>/meldebogen/", include("massnahmen.urls_meldebogen")),
    path("<slug:slug>/", include("berichte.urls")),
    path("", include("strategie.urls_portal")),
]
