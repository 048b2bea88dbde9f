from django.urls import path

from .views import commissioner, provider, provider_submitting, provider_supporting

app_name = "submissions"

urlpatterns = [
    path("opportunities/<str:reference>/bid/", provider.start, name="start"),
    path("bids/<uuid:public_id>/", provider.tasks, name="tasks"),
    path("bids/<uuid:public_id>/lots/", provider.lots, name="lots"),
    path("bids/<uuid:public_id>/evidence/", provider.evidence, name="evidence"),
    path("bids/<uuid:public_id>/questions/<int:number>/", provider.question, name="question"),
    path("bids/<uuid:public_id>/commitments/", provider.commitments, name="commitments"),
    path(
        "bids/<uuid:public_id>/commitments/<int:commitment_id>/remove/",
        provider.commitment_remove,
        name="commitment-remove",
    ),
    path("bids/<uuid:public_id>/files/", provider_supporting.attachments, name="attachments"),
    path("bids/<uuid:public_id>/files/<int:attachment_id>/", provider_supporting.attachment, name="attachment"),
    path(
        "bids/<uuid:public_id>/files/<int:attachment_id>/remove/",
        provider_supporting.attachment_remove,
        name="attachment-remove",
    ),
    path("bids/<uuid:public_id>/consortium/", provider_supporting.consortium, name="consortium"),
    path(
        "bids/<uuid:public_id>/consortium/<int:member_id>/remove/",
        provider_supporting.member_remove,
        name="member-remove",
    ),
    path("bids/<uuid:public_id>/invitation/<int:member_id>/", provider_supporting.invitation, name="invitation"),
    path("bids/<uuid:public_id>/check/", provider_submitting.check, name="check"),
    path("bids/<uuid:public_id>/withdraw/", provider_submitting.withdraw, name="withdraw"),
    path("bids/<uuid:public_id>/receipts/<int:number>/", provider_submitting.receipt, name="receipt"),
    path("commissioning/opportunities/<str:reference>/submissions/", commissioner.opening, name="opening"),
    path(
        "commissioning/opportunities/<str:reference>/submissions/<uuid:public_id>/",
        commissioner.opened,
        name="opened",
    ),
    path(
        "commissioning/opportunities/<str:reference>/submissions/<uuid:public_id>/evidence/<int:evidence_id>/",
        commissioner.opened_evidence,
        name="opened-evidence",
    ),
]
