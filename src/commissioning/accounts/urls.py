from django.contrib.auth import views as auth_views
from django.urls import path

from .views import administration, organisations, signing_in

app_name = "accounts"

urlpatterns = [
    path("sign-up/", signing_in.sign_up, name="sign-up"),
    path("sign-up/done/", signing_in.sign_up_done, name="sign-up-done"),
    path("sign-in/", signing_in.SignInView.as_view(), name="sign-in"),
    path("sign-out/", signing_in.sign_out, name="sign-out"),
    path("password-reset/", signing_in.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path(
        "password-reset/<uidb64>/<token>/", signing_in.PasswordResetConfirmView.as_view(), name="password-reset-confirm"
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password-reset-complete",
    ),
    path("account/", signing_in.my_account, name="my-account"),
    path("account/tokens/<int:token_id>/revoke/", signing_in.api_token_revoke, name="api-token-revoke"),
    path("organisations/", organisations.directory, name="directory"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", organisations.organisation_edit, name="organisation-edit"),
    path(
        "organisations/<slug:slug>/identifiers/",
        organisations.organisation_identifiers,
        name="organisation-identifiers",
    ),
    path("organisations/<slug:slug>/people/", organisations.organisation_people, name="organisation-people"),
    path("organisations/<slug:slug>/people/invite/", organisations.organisation_invite, name="organisation-invite"),
    path("invitations/<str:token>/", organisations.invitation_accept, name="invitation"),
    path("administration/", administration.administration, name="administration"),
    path("administration/organisations/", administration.verification_list, name="verification-list"),
    path("administration/organisations/new/", administration.commissioning_body_new, name="commissioning-body-new"),
    path("administration/organisations/<slug:slug>/", administration.verification_detail, name="verification-detail"),
    path("administration/closure-days/", administration.closure_days, name="closure-days"),
]
