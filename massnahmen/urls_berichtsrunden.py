from django.urls import path

from massnahmen import views_berichtsrunden as views

app_name = "berichtsrunden"

urlpatterns = [
    path("", views.berichtsrunde_liste, name="liste"),
    path("neu/", views.berichtsrunde_eroeffnen, name="eroeffnen"),
    path("<int:pk>/", views.berichtsrunde_detail, name="detail"),
    path("<int:pk>/schliessen/", views.berichtsrunde_schliessen, name="schliessen"),
]
