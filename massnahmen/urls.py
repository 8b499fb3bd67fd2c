from django.urls import path

from massnahmen import views

app_name = "massnahmen"

urlpatterns = [
    path("<str:code>/", views.massnahme_detail, name="detail"),
]
