"""Pages for signing up and in, accounts, organisation profiles, colleagues and verification.

Views are thin: a form checks the shape of what was sent, a service makes the
change, a selector loads what may be shown.
"""

import math
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from commissioning.audit.transitions import TransitionError
from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.core.models import ClosureDay
from commissioning.core.workdays import bank_holidays
from commissioning.frontend.access import administrator_required
from commissioning.frontend.forms import posted, refused_into

from . import selectors, services
from .forms import (
    AcceptInvitationForm,
    AccountForm,
    ApiTokenForm,
    ClosureDayForm,
    CommissioningBodyForm,
    DirectoryFilterForm,
    IdentifierForm,
    InviteForm,
    OrganisationFieldsMixin,
    PasswordResetForm,
    ReasonForm,
    SetPasswordForm,
    SignInForm,
    SignUpForm,
)
from .lockout import retry_after_seconds, sign_in_cool_off
from .models import OrganisationIdentifier, OrganisationStatus, Role
from .passwords import password_hint
from .permissions import invitable_roles, is_organisation_admin, keeps_evidence_for

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
            "pending": [
                m
                for m in request.user.memberships.select_related("organisation")
                if m.organisation.status != OrganisationStatus.VERIFIED
            ],
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


# Organisations ------------------------------------------------------------------


@require_http_methods(["GET"])
def directory(request: HttpRequest) -> HttpResponse:
    """The public directory of verified providers, with search and filters."""
    form = DirectoryFilterForm(request.GET or None)
    filters = selectors.DirectoryFilter()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.DirectoryFilter(
            query=data["q"], ward=data["ward"], size_band=data["size"], legal_form=data["kind"]
        )
    page = Paginator(selectors.provider_directory(filters=filters), 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/directory.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
    )


def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's public profile (its own people also see it while it waits)."""
    organisation = selectors.organisation_get_for(user=request.user, slug=slug)
    return render(
        request,
        "accounts/organisation.html",
        {
            "organisation": organisation,
            "can_edit": is_organisation_admin(request.user, organisation),
            "keeps_evidence": keeps_evidence_for(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    """Edit an organisation's profile (its own administrators only)."""
    organisation = selectors.organisation_get_administered_by(user=request.user, slug=slug)
    initial = {name: getattr(organisation, name) for name in services.PROFILE_FIELDS}
    initial["wards"] = [w.code for w in organisation.wards.all()]
    form = OrganisationFieldsMixin(posted(request), initial=initial)
    if organisation.side != "provider":
        form.fields["legal_form"].choices = [(organisation.legal_form, organisation.get_legal_form_display())]
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=request.user,
                organisation=organisation,
                data=form.organisation_data(),
                ward_codes=form.cleaned_data["wards"],
            )
        except services.ServiceError as error:
            refused_into(form, error)
        else:
            messages.success(request, "Your organisation's profile has been saved")
            return redirect("accounts:organisation", slug=organisation.slug)
    return render(request, "accounts/organisation_edit.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_identifiers(request: HttpRequest, slug: str) -> HttpResponse:
    """Add or remove an organisation's register numbers (its administrators only)."""
    organisation = selectors.organisation_get_administered_by(user=request.user, slug=slug)
    form = IdentifierForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            try:
                identifier = organisation.identifiers.get(pk=int(request.POST.get("identifier", "0")))
            except (OrganisationIdentifier.DoesNotExist, ValueError) as exc:
                raise Http404 from exc
            try:
                services.identifier_remove(actor=request.user, identifier=identifier)
            except services.ServiceError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"{identifier.org_id} has been removed")
            return redirect("accounts:organisation-identifiers", slug=slug)
        if form.is_valid():
            try:
                identifier = services.identifier_add(actor=request.user, organisation=organisation, **form.cleaned_data)
            except services.ServiceError as error:
                refused_into(form, error)
            else:
                messages.success(request, f"{identifier.org_id} has been added")
                return redirect("accounts:organisation-identifiers", slug=slug)
    return render(
        request,
        "accounts/organisation_identifiers.html",
        {"form": form, "organisation": organisation, "identifiers": organisation.identifiers.all()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_people(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's people and waiting invitations, with invite and remove (its administrators only)."""
    organisation = selectors.organisation_get_administered_by(user=request.user, slug=slug)
    if request.method == "POST" and request.POST.get("action") == "remove":
        membership = (
            selectors.organisation_members(user=request.user, organisation=organisation)
            .filter(pk=request.POST.get("membership") or 0)
            .first()
        )
        if membership is None:
            raise Http404
        try:
            services.membership_remove(actor=request.user, membership=membership)
        except services.ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, f"{membership.user.full_name} is no longer {membership.get_role_display().lower()}"
            )
        return redirect("accounts:organisation-people", slug=slug)
    return render(
        request,
        "accounts/organisation_people.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(user=request.user, organisation=organisation),
            "invitations": selectors.invitations_waiting(user=request.user, organisation=organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_invite(request: HttpRequest, slug: str) -> HttpResponse:
    """Invite a colleague by e-mail (the organisation's administrators only)."""
    organisation = selectors.organisation_get_administered_by(user=request.user, slug=slug)
    roles = [(r, Role(r).label) for r in invitable_roles(request.user, organisation)]
    form = InviteForm(posted(request), roles=roles)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _ = services.invitation_create(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except services.ServiceError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"An invitation has been sent to {invitation.email}")
            return redirect("accounts:organisation-people", slug=slug)
    return render(request, "accounts/organisation_invite.html", {"form": form, "organisation": organisation})


@never_cache  # reached by a secret link, before signing in: the page is the invitee's
@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: with your account if signed in, or by creating one."""
    invitation = selectors.invitation_get_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    signed_in = request.user.is_authenticated
    form = None if signed_in else AcceptInvitationForm(posted(request), email=invitation.email)
    error = None
    if request.method == "POST" and (signed_in or form.is_valid()):
        try:
            membership = services.invitation_accept(
                token=token,
                user=request.user if signed_in else None,
                full_name="" if signed_in else form.cleaned_data["full_name"],
                password="" if signed_in else form.cleaned_data["password"],
            )
        except services.ServiceError as exc:
            if form is not None:
                refused_into(form, exc)
            else:
                error = str(exc)
        else:
            if not signed_in:
                login(request, membership.user, backend=BACKEND)
            messages.success(
                request, f"You have joined {membership.organisation.name} as {membership.get_role_display().lower()}"
            )
            return redirect("accounts:my-account")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "error": error},
    )


# Administration -----------------------------------------------------------------


@administrator_required
def administration(request: HttpRequest) -> HttpResponse:
    """The administrators' start page."""
    waiting = selectors.organisations_for_verification(user=request.user).count()
    return render(request, "accounts/administration.html", {"waiting": waiting})


@administrator_required
@require_http_methods(["GET", "POST"])
def commissioning_body_new(request: HttpRequest) -> HttpResponse:
    """Add a commissioning body (a council, an NHS body); it is verified from the start."""
    form = CommissioningBodyForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_create(
                actor=request.user,
                side="commissioner",
                organisation={
                    "name": data["name"],
                    "legal_form": data["legal_form"],
                    "address_line_1": data["address_line_1"],
                    "town": data["town"],
                    "postcode": data["postcode"],
                    "description": data["description"],
                    "city_wide": True,
                },
                identifiers=[(data["identifier_scheme"], data["identifier_value"])],
                verified=True,
            )
        except services.ServiceError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"{organisation.name} has been added. Invite its people next.")
            return redirect("accounts:organisation-people", slug=organisation.slug)
    return render(request, "accounts/commissioning_body_new.html", {"form": form})


@administrator_required
def verification_list(request: HttpRequest) -> HttpResponse:
    """Organisations by verification status, oldest first."""
    status = request.GET.get("status", OrganisationStatus.PENDING)
    if status not in OrganisationStatus.values:
        status = OrganisationStatus.PENDING
    organisations = selectors.organisations_for_verification(user=request.user, status=status)
    page = Paginator(organisations, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/verification_list.html",
        {"page": page, "status": status, "statuses": OrganisationStatus.choices},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def verification_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Check an organisation and verify, decline, suspend or reinstate it."""
    organisation = selectors.organisation_get_for_verification(user=request.user, slug=slug)
    form = ReasonForm(request.POST if request.POST.get("action") in {"reject", "suspend"} else None)
    problem = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "verify":
                services.organisation_verify(actor=request.user, organisation=organisation)
                messages.success(request, f"{organisation.name} is verified")
                return redirect("accounts:verification-list")
            if action == "reinstate":
                services.organisation_reinstate(actor=request.user, organisation=organisation)
                messages.success(request, f"{organisation.name} is reinstated")
                return redirect("accounts:verification-detail", slug=slug)
            if action in {"reject", "suspend"} and form.is_valid():
                service = services.organisation_reject if action == "reject" else services.organisation_suspend
                service(actor=request.user, organisation=organisation, reason=form.cleaned_data["reason"])
                messages.success(request, f"{organisation.name} is {'declined' if action == 'reject' else 'suspended'}")
                return redirect("accounts:verification-list")
            if action not in {"verify", "reinstate", "reject", "suspend"}:
                problem = "Choose what to do"
        except TransitionError as exc:
            problem = str(exc)
        except PermissionDenied as exc:
            raise Http404 from exc
    members = organisation.memberships.select_related("user")
    return render(
        request,
        "accounts/verification_detail.html",
        {"organisation": organisation, "form": form, "problem": problem, "members": members},
    )


@administrator_required
@require_http_methods(["GET", "POST"])
def closure_days(request):
    """List, add and remove closure days; shows the coming bank holidays for reference."""
    form = ClosureDayForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            closure = ClosureDay.objects.filter(pk=request.POST.get("closure") or 0).first()
            if closure is None:
                raise Http404
            services.closure_day_remove(actor=request.user, closure=closure)
            messages.success(request, f"{format_date(closure.day)} is no longer a closure day")
            return redirect("accounts:closure-days")
        if form.is_valid():
            try:
                services.closure_day_add(actor=request.user, **form.cleaned_data)
            except services.ClosureDayError as exc:
                form.add_error("day", str(exc))
            else:
                messages.success(request, "The closure day has been added")
                return redirect("accounts:closure-days")
    today = clock.today()
    return render(
        request,
        "accounts/closure_days.html",
        {
            "form": form,
            "closures": ClosureDay.objects.filter(day__gte=today.replace(month=1, day=1)),
            "bank_holidays": bank_holidays(today, today + timedelta(days=365)),
        },
    )
