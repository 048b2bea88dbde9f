from django.urls import path

from .feeds import OpportunityFeed
from .views import commissioner, commissioner_publishing, provider, public

app_name = "opportunities"

urlpatterns = [
    path("opportunities/", public.finder, name="finder"),
    path("opportunities/feed.atom", OpportunityFeed(), name="feed"),
    path("opportunities/<str:reference>/", public.detail, name="detail"),
    path("opportunities/<str:reference>/documents/<int:document_id>/", public.document, name="document"),
    path("opportunities/<str:reference>/interest/", provider.interest, name="interest"),
    path("opportunities/<str:reference>/ask/", provider.ask, name="ask"),
    path("opportunities/<str:reference>/events/<int:event_id>/book/", provider.book, name="book"),
    path("account/alerts/", provider.alerts, name="alerts"),
    path("account/questions/", provider.my_questions, name="my-questions"),
    path("commissioning/opportunities/new/", commissioner.create, name="create"),
    path("commissioning/opportunities/<str:reference>/", commissioner.manage, name="manage"),
    path("commissioning/opportunities/<str:reference>/details/", commissioner.edit, name="edit"),
    path("commissioning/opportunities/<str:reference>/lots/new/", commissioner.lot, name="lot-new"),
    path("commissioning/opportunities/<str:reference>/lots/<int:number>/", commissioner.lot, name="lot"),
    path("commissioning/opportunities/<str:reference>/questions/new/", commissioner.question, name="question-new"),
    path("commissioning/opportunities/<str:reference>/questions/<int:number>/", commissioner.question, name="question"),
    path("commissioning/opportunities/<str:reference>/events/new/", commissioner.event, name="event-new"),
    path("commissioning/opportunities/<str:reference>/events/<int:number>/", commissioner.event, name="event"),
    path("commissioning/opportunities/<str:reference>/documents/new/", commissioner.document, name="document-new"),
    path("commissioning/opportunities/<str:reference>/check/", commissioner_publishing.check, name="check"),
    path("commissioning/opportunities/<str:reference>/amend/", commissioner_publishing.amend, name="amend"),
    path("commissioning/opportunities/<str:reference>/end/", commissioner_publishing.end, name="end"),
    path(
        "commissioning/opportunities/<str:reference>/clarifications/",
        commissioner_publishing.clarifications,
        name="clarifications",
    ),
]
