from django.urls import path

from . import views
from .feeds import OpportunityFeed

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", views.finder, name="finder"),
    path("opportunities/feed.atom", OpportunityFeed(), name="feed"),
    path("opportunities/<str:reference>/", views.detail, name="detail"),
]
