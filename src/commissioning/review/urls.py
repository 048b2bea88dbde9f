from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("commissioning/", views.dashboard, name="dashboard"),
    path("bids/", views.bids, name="bids"),
]
