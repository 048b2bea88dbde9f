"""Organisations' pages: the public directory, profiles, identifiers, colleagues and invitations.

Views are thin: a form checks the shape of what was sent, a service makes the
change, a selector loads what may be shown.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from commissioning.frontend.forms import posted, refused_into

from .. import selectors, services
from ..forms import (
    AcceptInvitationForm,
    DirectoryFilterForm,
    IdentifierForm,
    InviteForm,
    OrganisationFieldsMixin,
)
from ..models import OrganisationIdentifier, Role
from ..organisation_page import parts_for
from ..permissions import invitable_roles, is_organisation_admin, keeps_evidence_for

BACKEND = "django.contrib.auth.backends.ModelBackend"


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
            "parts": parts_for(organisation, request.user),
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
        membership = selectors.organisation_member_get(
            user=request.user, organisation=organisation, membership_id=request.POST.get("membership")
        )
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
