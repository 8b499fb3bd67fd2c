from django.urls import path

from handlungsfelder import views

app_name = "handlungsfelder"

urlpatterns = [
    path("<str:nummer>/", views.handlungsfeld_detail, name="detail"),
]
