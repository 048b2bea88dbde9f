from django.urls import path

from . import commissioning_views, views

app_name = "submissions"

urlpatterns = [
    path("opportunities/<str:reference>/bid/", views.start, name="start"),
    path("bids/<uuid:public_id>/", views.tasks, name="tasks"),
    path("bids/<uuid:public_id>/lots/", views.lots, name="lots"),
    path("bids/<uuid:public_id>/evidence/", views.evidence, name="evidence"),
    path("bids/<uuid:public_id>/questions/<int:number>/", views.question, name="question"),
    path("bids/<uuid:public_id>/commitments/", views.commitments, name="commitments"),
    path(
        "bids/<uuid:public_id>/commitments/<int:commitment_id>/remove/",
        views.commitment_remove,
        name="commitment-remove",
    ),
    path("bids/<uuid:public_id>/files/", views.attachments, name="attachments"),
    path("bids/<uuid:public_id>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("bids/<uuid:public_id>/files/<int:attachment_id>/remove/", views.attachment_remove, name="attachment-remove"),
    path("bids/<uuid:public_id>/consortium/", views.consortium, name="consortium"),
    path("bids/<uuid:public_id>/consortium/<int:member_id>/remove/", views.member_remove, name="member-remove"),
    path("bids/<uuid:public_id>/invitation/<int:member_id>/", views.invitation, name="invitation"),
    path("bids/<uuid:public_id>/check/", views.check, name="check"),
    path("bids/<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("bids/<uuid:public_id>/receipts/<int:number>/", views.receipt, name="receipt"),
    path("commissioning/opportunities/<str:reference>/submissions/", commissioning_views.opening, name="opening"),
    path(
        "commissioning/opportunities/<str:reference>/submissions/<uuid:public_id>/",
        commissioning_views.opened,
        name="opened",
    ),
    path(
        "commissioning/opportunities/<str:reference>/submissions/<uuid:public_id>/evidence/<int:evidence_id>/",
        commissioning_views.opened_evidence,
        name="opened-evidence",
    ),
]
