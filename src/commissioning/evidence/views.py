"""Pages of the evidence store: "Your evidence", one item's form and history, removal, file downloads.

Views are thin: selectors decide what the person may see (404 for anyone
but the organisation's own provider administrators and members), services
make every change.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.accounts.models import Organisation
from commissioning.core import clock

from . import selectors, services
from .forms import EvidenceForm, entry_rows
from .models import EvidenceItem
from .specs import (
    MAX_ENTRIES,
    describe,
    not_confirmable_sentence,
    profile_data,
    readiness_message,
    saved_message,
    spec_for,
)
from .standard_items import StandardItem


def evidence_file_response(version: EvidenceItem) -> FileResponse:
    """A version's file as a download. Call it only after checking the person may see the version.

    Always an attachment, never shown inline, with its recorded type and
    ``nosniff``, and kept out of shared caches.
    """
    if not version.has_file:
        raise Http404
    response = FileResponse(
        version.file.open("rb"),
        content_type=version.content_type or "application/octet-stream",
        as_attachment=True,
        filename=version.file_name or "evidence",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _organisation(request: HttpRequest) -> Organisation | None:
    """The organisation named by ``?organisation=``, or the person's only one; None when they must choose."""
    slug = request.GET.get("organisation", "")
    if slug:
        return selectors.evidence_organisation_get_for(user=request.user, slug=slug)
    organisations = selectors.evidence_organisations_for(user=request.user)
    if not organisations:
        raise Http404
    return organisations[0] if len(organisations) == 1 else None


def _item(item: str) -> str:
    if item not in StandardItem.values:
        raise Http404
    return item


def _list_url(organisation: Organisation) -> str:
    return f"{reverse('evidence:list')}?organisation={organisation.slug}"


@login_required
@require_GET
def evidence_list(request: HttpRequest) -> HttpResponse:
    """Your evidence: every standard item with where it stands, and links to add, change or remove it."""
    organisation = _organisation(request)
    if organisation is None:
        return render(
            request,
            "evidence/choose.html",
            {"organisations": selectors.evidence_organisations_for(user=request.user)},
        )
    today = clock.today()
    rows = selectors.evidence_overview(user=request.user, organisation=organisation, on=today)
    return render(
        request,
        "evidence/list.html",
        {
            "organisation": organisation,
            "rows": rows,
            "reminder_days": selectors.reminder_days(),
            "several": len(selectors.evidence_organisations_for(user=request.user)) > 1,
        },
    )


def _history(versions: list[EvidenceItem]) -> list[dict]:
    rows = []
    newer = None
    for version in versions:  # newest first
        if version.is_current:
            status = "Current"
        elif newer is not None and newer.created_at == version.superseded_at:
            status = f"Replaced by version {newer.version}"
        else:
            status = "Removed"
        rows.append({"version": version, "status": status, "said": describe(version.item, version.data)})
        newer = version
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def evidence_item(request: HttpRequest, item: str) -> HttpResponse:
    """Add or change one item: its form, with every earlier version below it."""
    item = _item(item)
    organisation = _organisation(request)
    if organisation is None:
        return redirect(reverse("evidence:list"))
    versions = list(selectors.evidence_history_for(user=request.user, organisation=organisation, item=item))
    current = next((v for v in versions if v.is_current), None)
    spec = spec_for(item)
    from_profile = spec.from_profile and (request.GET.get("from") == "profile" or current is None)
    if request.method == "POST":
        rows = entry_rows(spec, None, asked=request.POST.get("rows"))
        if request.POST.get("action") == "more":
            rows = min(rows + 1, MAX_ENTRIES)
        form = EvidenceForm(request.POST, request.FILES, spec=spec, rows=rows)
        if request.POST.get("action") != "more" and form.is_valid():
            try:
                version = services.evidence_item_record(
                    actor=request.user,
                    organisation=organisation,
                    item=item,
                    data=form.data_for_service(),
                    upload=form.cleaned_data.get("file"),
                )
            except services.EvidenceNotAllowed as exc:
                raise Http404 from exc
            except services.EvidenceError as error:
                form.apply_errors(error.errors)
            else:
                message, warning = saved_message(item, version.valid_until, clock.today())
                (messages.warning if warning else messages.success)(request, message)
                return redirect(_list_url(organisation))
    else:
        source = profile_data(item, organisation) if from_profile else (current.data if current else None)
        rows = entry_rows(spec, source)
        form = EvidenceForm(initial=EvidenceForm.initial_from(spec, source), spec=spec, rows=rows)
    state = None
    if current is not None:
        state = "expired" if current.is_expired_on(clock.today()) else "current"
    return render(
        request,
        "evidence/item.html",
        {
            "organisation": organisation,
            "spec": spec,
            "form": form,
            "current": current,
            "from_profile": from_profile and request.method == "GET",
            "state_message": readiness_message(item, state, current.valid_until) if current else "",
            "state_consequence": not_confirmable_sentence(item) if state == "expired" else "",
            "state": state,
            "history": _history(versions),
            "list_url": _list_url(organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_remove(request: HttpRequest, item: str) -> HttpResponse:
    """Confirm, then take an item out of the store (its versions are kept for the bids that used them)."""
    item = _item(item)
    organisation = _organisation(request)
    if organisation is None:
        return redirect(reverse("evidence:list"))
    current = selectors.evidence_for_owner(user=request.user, organisation=organisation).filter(item=item).first()
    if current is None:
        raise Http404
    if request.method == "POST":
        try:
            services.evidence_item_remove(actor=request.user, organisation=organisation, item=item)
        except services.EvidenceNotAllowed as exc:
            raise Http404 from exc
        except services.EvidenceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{current.get_item_display()} has been removed from your evidence")
        return redirect(_list_url(organisation))
    return render(
        request,
        "evidence/remove.html",
        {"organisation": organisation, "current": current, "list_url": _list_url(organisation)},
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Download the file of one version, for the owning organisation's people."""
    return evidence_file_response(selectors.evidence_item_get_for(user=request.user, pk=pk))
