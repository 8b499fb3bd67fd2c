from django.urls import path

from strategie import views_verwaltung

app_name = "benutzer"

urlpatterns = [
    path("", views_verwaltung.benutzer_liste, name="liste"),
    path("einladen/", views_verwaltung.benutzer_einladen, name="einladen"),
    path("sichtbarkeit/", views_verwaltung.sichtbarkeit_setzen, name="sichtbarkeit"),
    path("rollen/<int:pk>/aendern/", views_verwaltung.rolle_aendern, name="rolle_aendern"),
    path("rollen/<int:pk>/entziehen/", views_verwaltung.rolle_entziehen, name="rolle_entziehen"),
    path("<int:user_id>/deaktivieren/", views_verwaltung.benutzer_deaktivieren, name="deaktivieren"),
    path("<int:user_id>/entsperren/", views_verwaltung.benutzer_entsperren, name="entsperren"),
    path("<int:user_id>/verlauf/", views_verwaltung.benutzer_verlauf, name="verlauf"),
]
