from django.urls import path

from massnahmen import views_meldebogen as views

app_name = "meldebogen"

urlpatterns = [
    path("", views.meldebogen_seite, name="seite"),
    path("meldebogen.<str:format>", views.meldebogen_herunterladen, name="herunterladen"),
    path("hochladen/", views.meldebogen_hochladen, name="hochladen"),
    path("importe/<int:pk>/", views.meldebogen_import, name="import"),
]
