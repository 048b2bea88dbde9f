from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("commissioning/records/", views.record_list, name="list"),
    path("commissioning/records/<str:reference>/", views.record_detail, name="detail"),
]
