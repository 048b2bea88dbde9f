from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-up/", views.sign_up, name="sign-up"),
    path("sign-up/done/", views.sign_up_done, name="sign-up-done"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password-reset-sent",
    ),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password-reset-complete",
    ),
    path("account/", views.my_account, name="my-account"),
    path("account/tokens/<int:token_id>/revoke/", views.api_token_revoke, name="api-token-revoke"),
    path("organisations/", views.directory, name="directory"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<slug:slug>/identifiers/", views.organisation_identifiers, name="organisation-identifiers"),
    path("organisations/<slug:slug>/people/", views.organisation_people, name="organisation-people"),
    path("organisations/<slug:slug>/people/invite/", views.organisation_invite, name="organisation-invite"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation"),
    path("administration/", views.administration, name="administration"),
    path("administration/organisations/", views.verification_list, name="verification-list"),
    path("administration/organisations/new/", views.commissioning_body_new, name="commissioning-body-new"),
    path("administration/organisations/<slug:slug>/", views.verification_detail, name="verification-detail"),
    path("administration/closure-days/", views.closure_days, name="closure-days"),
]
