"""Pages for signing up, in and out, resetting a password, and your own account and API tokens.

Views are thin: a form checks the shape of what was sent, a service makes the
change, a selector loads what may be shown.
"""

import math

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.frontend.forms import posted, refused_into

from .. import selectors, services
from ..forms import (
    AccountForm,
    ApiTokenForm,
    PasswordResetForm,
    SetPasswordForm,
    SignInForm,
    SignUpForm,
)
from ..lockout import retry_after_seconds, sign_in_cool_off
from ..passwords import password_hint

BACKEND = "django.contrib.auth.backends.ModelBackend"

# provider_register's arguments whose sign-up field has another name.
SIGN_UP_FIELDS = {"email": "user_email"}


# Signing up, in and out ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    """A provider registers itself and the person registering it."""
    if request.user.is_authenticated:
        return redirect("accounts:my-account")
    form = SignUpForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user, organisation = services.provider_register(
                email=form.cleaned_data["user_email"],
                full_name=form.cleaned_data["full_name"],
                job_title=form.cleaned_data["job_title"],
                password=form.cleaned_data["password"],
                organisation=form.organisation_data(),
                ward_codes=form.cleaned_data["wards"],
                identifiers=form.cleaned_data.get("identifiers", []),
            )
        except services.ServiceError as error:
            refused_into(form, error, names=SIGN_UP_FIELDS)
        else:
            login(request, user, backend=BACKEND)
            return redirect("accounts:sign-up-done")
    return render(request, "accounts/sign_up.html", {"form": form})


@login_required
def sign_up_done(request: HttpRequest) -> HttpResponse:
    """Confirmation that a registration was received and what happens next."""
    return render(request, "accounts/sign_up_done.html")


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out (POST only, so a link elsewhere cannot sign anyone out)."""
    logout(request)
    messages.success(request, "You have signed out")
    return redirect("frontend:home")


def locked_out(request: HttpRequest, credentials=None, *args, **kwargs) -> HttpResponse:
    """What django-axes shows after too many failed sign-ins: 429, saying (and in ``Retry-After``) how long."""
    cool_off = sign_in_cool_off()
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
    response = render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(retry_after_seconds(cool_off))
    return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password-reset-sent")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    extra_context = {"password_hint": password_hint()}
    success_url = reverse_lazy("accounts:password-reset-complete")
    post_reset_login = False


# Your account -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_account(request: HttpRequest) -> HttpResponse:
    """Your details, your organisations and roles, and your API tokens."""
    form = AccountForm(
        request.POST if request.POST.get("action") == "details" else None,
        initial={"full_name": request.user.full_name, "job_title": request.user.job_title},
    )
    token_form = ApiTokenForm(request.POST if request.POST.get("action") == "token" else None)
    new_secret = None
    if request.method == "POST":
        if request.POST.get("action") == "details" and form.is_valid():
            services.user_update(actor=request.user, **form.cleaned_data)
            messages.success(request, "Your details have been saved")
            return redirect("accounts:my-account")
        if request.POST.get("action") == "token" and token_form.is_valid():
            try:
                _, new_secret = services.api_token_create(actor=request.user, name=token_form.cleaned_data["name"])
            except services.ServiceError as error:
                refused_into(token_form, error)
            else:
                token_form = ApiTokenForm()
    memberships = request.user.active_memberships
    return render(
        request,
        "accounts/my_account.html",
        {
            "form": form,
            "token_form": token_form,
            "new_secret": new_secret,
            "tokens": selectors.api_tokens_for(user=request.user),
            "memberships": memberships,
            "pending": selectors.memberships_awaiting_verification(user=request.user),
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of your own API tokens."""
    token = selectors.api_token_get_for(user=request.user, token_id=token_id)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"The token ‘{token.name}’ has been revoked")
    return redirect("accounts:my-account")
