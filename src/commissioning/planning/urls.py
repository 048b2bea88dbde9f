from django.urls import path

from . import views, views_commissioner
from .feeds import PipelineFeed

app_name = "planning"

urlpatterns = [
    path("", views.pipeline, name="pipeline"),
    path("feed.atom", PipelineFeed(), name="feed"),
    path("pipeline.csv", views.pipeline_csv, name="csv"),
    path("timeline/", views.timeline, name="timeline"),
    path("partnerships/", views.partnerships, name="partnerships"),
    path("commissioning/", views_commissioner.manage_list, name="manage-list"),
    path("commissioning/new/", views_commissioner.create, name="create"),
    path("commissioning/overlaps/<int:overlap_id>/", views_commissioner.overlap, name="overlap"),
    path("commissioning/<str:reference>/", views_commissioner.manage, name="manage"),
    path("commissioning/<str:reference>/edit/", views_commissioner.edit, name="edit"),
    path("commissioning/<str:reference>/publish/", views_commissioner.publish, name="publish"),
    path("commissioning/<str:reference>/planned/", views_commissioner.mark_planned, name="planned"),
    path("commissioning/<str:reference>/check/", views_commissioner.check, name="check"),
    path("commissioning/<str:reference>/withdraw/", views_commissioner.withdraw, name="withdraw"),
    path("commissioning/<str:reference>/partners/", views_commissioner.partners, name="partners"),
    path(
        "commissioning/<str:reference>/partners/<int:partner_id>/remove/",
        views_commissioner.partner_remove,
        name="partner-remove",
    ),
    path("<str:reference>/", views.plan_detail, name="detail"),
]
