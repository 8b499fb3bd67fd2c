from django.urls import path

from meldebogen import views

app_name = "meldebogen"

urlpatterns = [
    path("<slug:slug>/meldebogen/", views.meldebogen_seite, name="seite"),
    path("<slug:slug>/meldebogen/meldebogen.<str:format>", views.meldebogen_herunterladen, name="herunterladen"),
    path("<slug:slug>/meldebogen/hochladen/", views.meldebogen_hochladen, name="hochladen"),
    path("<slug:slug>/meldebogen/importe/<int:pk>/", views.meldebogen_import, name="import"),
]
