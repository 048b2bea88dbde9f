"""URL map: pages by stage, the API, the admin site and the health check."""

from django.contrib import admin
from django.urls import include, path

from commissioning.frontend import views as frontend_views

from .api import api

urlpatterns = [
    path("", include("commissioning.frontend.urls")),
    path("", include("commissioning.accounts.urls")),
    path("", include("commissioning.practice.urls")),
    path("", include("commissioning.records.urls")),
    path("", include("commissioning.planning.urls_appraisal")),
    path("needs/", include("commissioning.needs.urls")),
    path("reviews/", include("commissioning.needs.urls_reviews")),
    path("pipeline/", include("commissioning.planning.urls")),
    path("", include("commissioning.opportunities.urls")),
    path("", include("commissioning.submissions.urls")),
    path("", include("commissioning.evidence.urls")),
    path("", include("commissioning.evaluation.urls")),
    path("", include("commissioning.feedback.urls")),
    path("", include("commissioning.contracts.urls")),
    path("", include("commissioning.review.urls")),
    path("administration/audit/", include("commissioning.audit.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
    path("healthz", frontend_views.healthz, name="healthz"),
]

handler400 = "commissioning.frontend.views.bad_request"
handler403 = "commissioning.frontend.views.forbidden"
handler404 = "commissioning.frontend.views.not_found"
handler500 = "commissioning.frontend.views.server_error"
