from django.urls import path

from . import manage_views, views
from .feeds import OpportunityFeed

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", views.finder, name="finder"),
    path("opportunities/feed.atom", OpportunityFeed(), name="feed"),
    path("opportunities/<str:reference>/", views.detail, name="detail"),
    path("opportunities/<str:reference>/documents/<int:document_id>/", views.document, name="document"),
    path("opportunities/<str:reference>/interest/", views.interest, name="interest"),
    path("opportunities/<str:reference>/ask/", views.ask, name="ask"),
    path("opportunities/<str:reference>/events/<int:event_id>/book/", views.book, name="book"),
    path("account/alerts/", views.alerts, name="alerts"),
    path("account/questions/", views.my_questions, name="my-questions"),
    path("commissioning/opportunities/new/", manage_views.create, name="create"),
    path("commissioning/opportunities/<str:reference>/", manage_views.manage, name="manage"),
    path("commissioning/opportunities/<str:reference>/details/", manage_views.edit, name="edit"),
    path("commissioning/opportunities/<str:reference>/lots/new/", manage_views.lot, name="lot-new"),
    path("commissioning/opportunities/<str:reference>/lots/<int:number>/", manage_views.lot, name="lot"),
    path("commissioning/opportunities/<str:reference>/questions/new/", manage_views.question, name="question-new"),
    path("commissioning/opportunities/<str:reference>/questions/<int:number>/", manage_views.question, name="question"),
    path("commissioning/opportunities/<str:reference>/events/new/", manage_views.event, name="event-new"),
    path("commissioning/opportunities/<str:reference>/events/<int:number>/", manage_views.event, name="event"),
    path("commissioning/opportunities/<str:reference>/documents/new/", manage_views.document, name="document-new"),
    path("commissioning/opportunities/<str:reference>/check/", manage_views.check, name="check"),
    path("commissioning/opportunities/<str:reference>/amend/", manage_views.amend, name="amend"),
    path("commissioning/opportunities/<str:reference>/end/", manage_views.end, name="end"),
    path(
        "commissioning/opportunities/<str:reference>/clarifications/",
        manage_views.clarifications,
        name="clarifications",
    ),
]
