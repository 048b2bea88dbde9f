from django.urls import path

from . import views, views_coproduction, views_public

app_name = "needs"

urlpatterns = [
    path("", views_public.public_list, name="public-list"),
    path("commissioning/", views.assessment_list, name="list"),
    path("commissioning/new/", views.assessment_new, name="new"),
    path("commissioning/<str:reference>/", views.assessment_detail, name="assessment"),
    path("commissioning/<str:reference>/edit/", views.assessment_edit, name="edit"),
    path("commissioning/<str:reference>/check/", views.check, name="check"),
    path("commissioning/<str:reference>/evidence/new/", views.evidence_new, name="evidence-new"),
    path("commissioning/<str:reference>/evidence/<int:evidence_id>/", views.evidence_edit, name="evidence-edit"),
    path(
        "commissioning/<str:reference>/evidence/<int:evidence_id>/remove/",
        views.evidence_remove,
        name="evidence-remove",
    ),
    path("commissioning/<str:reference>/figures/", views.figures, name="figures"),
    path("commissioning/<str:reference>/figures/<int:figure_id>/remove/", views.figure_remove, name="figure-remove"),
    path("commissioning/<str:reference>/co-production/new/", views.coproduction_new, name="coproduction-new"),
    path(
        "commissioning/<str:reference>/co-production/<int:activity_id>/",
        views.coproduction_edit,
        name="coproduction-edit",
    ),
    path(
        "commissioning/<str:reference>/co-production/<int:activity_id>/remove/",
        views.coproduction_remove,
        name="coproduction-remove",
    ),
    path(
        "records/<str:reference>/co-production/",
        views_coproduction.record_coproduction,
        name="record-coproduction",
    ),
    path(
        "records/<str:reference>/co-production/new/",
        views_coproduction.record_coproduction_new,
        name="record-coproduction-new",
    ),
    path(
        "records/<str:reference>/co-production/<int:activity_id>/",
        views_coproduction.record_coproduction_edit,
        name="record-coproduction-edit",
    ),
    path(
        "records/<str:reference>/co-production/<int:activity_id>/remove/",
        views_coproduction.record_coproduction_remove,
        name="record-coproduction-remove",
    ),
    path("<str:reference>/", views_public.public_detail, name="public-detail"),
    path("<str:reference>/evidence/<int:evidence_id>/file/", views_public.evidence_file, name="evidence-file"),
]
