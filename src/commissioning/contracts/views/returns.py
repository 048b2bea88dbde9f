"""Monitoring returns' pages: the provider's task list, each section saved as typed, check and submit;
the commissioner's list of an agreement's returns and the review of one.

The provider's pages load the return through ``return_get_for_provider`` (its
own people, an accepted agreement); the commissioner's through
``return_get_for_commissioner``. Anyone else gets 404.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.core import clock
from commissioning.core.geography import leeds_wards
from commissioning.frontend.forms import GovukForm, posted, refused_into

from .. import returns, selectors
from ..beneficiaries import feedback_in_period
from ..models import ReturnStatus, ReviewOutcome
from ..reading import reading
from ..sharing import covering_reading
from ..workflow import EDITABLE_RETURN_STATUSES

SECTION_TITLES = {
    "measures": "Progress against the KPIs",
    "story": "What happened, and case studies",
    "spend": "Spend against budget",
    "people": "Who the service reached",
}
LONG_TEXT = {"narrative": 5000, "case_studies": 10000, "mismatch_explanation": 2000}


def _label(agreement, name: str) -> str:
    for measure in agreement.measures.all():
        if name == f"measure_{measure.number}_actual":
            unit = f" ({measure.unit})" if measure.unit else ""
            return f"KPI {measure.number}: {measure.name}. Target {measure.target.normalize():f}{unit}. Result"
        if name == f"measure_{measure.number}_note":
            return f"KPI {measure.number}: a note on the result (optional)"
    fixed = {
        "narrative": "What happened in the period",
        "case_studies": "Case studies (optional)",
        "spend_budget": "The budget for the period, in pounds",
        "spend_actual": "What was spent in the period, in pounds",
        "spend_note": "A note on spend (optional)",
        "people_reached": "How many people the service reached in the period",
        "mismatch_explanation": "If a breakdown does not add up to the people reached, why (optional)",
    }
    if name in fixed:
        return fixed[name]
    return returns.label_for(name)[0].upper() + returns.label_for(name)[1:]


def section_form(agreement, section: str, data=None, initial=None) -> GovukForm:
    """The form for one section of the agreement's return: every field optional, kept as typed."""
    names = returns.fields_for(agreement).get(section)
    if names is None:
        raise Http404
    fields = {}
    for name in names:
        if name in LONG_TEXT:
            fields[name] = forms.CharField(
                label=_label(agreement, name),
                required=False,
                max_length=LONG_TEXT[name],
                widget=forms.Textarea(attrs={"rows": 6 if name != "mismatch_explanation" else 3}),
            )
        else:
            counts = name == "people_reached" or name.startswith(("ward_", "community__")) or "__" in name
            attrs = {"inputmode": "numeric", "class": "govuk-input--width-5"} if counts else {}
            if (
                name.startswith(("measure_",))
                and name.endswith("_actual")
                or name.startswith("spend_")
                and name != "spend_note"
            ):
                attrs = {"inputmode": "decimal", "class": "govuk-input--width-10"}
            fields[name] = forms.CharField(
                label=_label(agreement, name),
                required=False,
                max_length=1000 if name.endswith("_note") else 40,
                widget=forms.TextInput(attrs=attrs),
            )
    form_class = type("ReturnSectionForm", (GovukForm,), fields)
    return form_class(data, initial=initial)


def _sections(monitoring_return) -> list[dict]:
    """The task list: each section, whether anything has been typed in it and whether it is ready."""
    agreement = monitoring_return.agreement
    draft = monitoring_return.draft or {}
    _, errors = returns.checked(agreement, draft)
    listed = []
    for section, names in returns.fields_for(agreement).items():
        if not names:
            continue
        typed = any(str(draft.get(name) or "").strip() for name in names)
        wrong = any(name in errors for name in names)
        status = "Completed" if typed and not wrong else ("In progress" if typed else "Not started")
        listed.append({"key": section, "title": SECTION_TITLES[section], "status": status})
    return listed


def _provider_return(request, reference, number):
    return selectors.return_get_for_provider(user=request.user, reference=reference, number=number)


@login_required
@require_GET
def provider_returns(request: HttpRequest, reference: str) -> HttpResponse:
    """The agreement's returns, each with its period, due day and status."""
    agreement = selectors.agreement_get_for_provider(user=request.user, reference=reference)
    if agreement.status != "accepted":
        raise Http404
    return render(
        request,
        "contracts/returns/provider_list.html",
        {"agreement": agreement, "returns": selectors.returns_of(agreement), "today": clock.today()},
    )


@login_required
@require_GET
def provider_return(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """A return: its task list while it can be changed; what was sent, and the review, once submitted."""
    found = _provider_return(request, reference, number)
    editable = found.status in EDITABLE_RETURN_STATUSES
    return render(
        request,
        "contracts/returns/provider_return.html",
        {
            "agreement": found.agreement,
            "monitoring_return": found,
            "editable": editable,
            "sections": _sections(found) if editable else [],
            "reading": reading(found)
            if (not editable and found.status != ReturnStatus.SHARED) or found.status == ReturnStatus.QUERIED
            else None,
            "reviews": list(found.reviews.all()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def provider_return_section(request: HttpRequest, reference: str, number: int, section: str) -> HttpResponse:
    """One section of a return, saved as typed; nothing is checked until the return is submitted."""
    found = _provider_return(request, reference, number)
    if found.status not in EDITABLE_RETURN_STATUSES:
        return redirect("contracts:provider-return", reference, number)
    form = section_form(found.agreement, section, posted(request), initial=found.draft or {})
    if request.method == "POST" and form.is_valid():
        try:
            returns.return_save(actor=request.user, monitoring_return=found, data=form.cleaned_data)
        except returns.ReturnError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, f"{SECTION_TITLES[section]}: saved. You can come back to it at any time.")
            return redirect("contracts:provider-return", reference, number)
    wards = {w.code: w.name for w in leeds_wards()}
    return render(
        request,
        "contracts/returns/section.html",
        {
            "agreement": found.agreement,
            "monitoring_return": found,
            "section": section,
            "title": SECTION_TITLES[section],
            "form": form,
            "ward_fields": [form[f"ward_{code}"] for code in wards if f"ward_{code}" in form.fields],
            "characteristic_groups": [
                (returns.CHARACTERISTIC_LABELS.get(name, name), [form[f"{name}__{c.key}"] for c in cats])
                for name, cats in returns.categories().items()
                if f"{name}__{cats[0].key}" in form.fields
            ],
            "community_fields": [
                form[f"community__{c.key}"] for c in returns.communities() if f"community__{c.key}" in form.fields
            ],
        },
    )


class _Problems(GovukForm):
    """Carries the submission's refusals to the error summary, each linked to its section's page."""


@login_required
@require_http_methods(["GET", "POST"])
def provider_return_check(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Check the return before submitting it: what is missing or wrong, section by section; then submit."""
    found = _provider_return(request, reference, number)
    if found.status not in EDITABLE_RETURN_STATUSES:
        return redirect("contracts:provider-return", reference, number)
    agreement = found.agreement
    problems = {}
    if request.method == "POST":
        try:
            returns.return_submit(actor=request.user, monitoring_return=found)
        except returns.ReturnError as error:
            problems = error.errors
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, f"Return {number} is submitted. {agreement.commissioner.name} will review it.")
            return redirect("contracts:provider-return", reference, number)
    else:
        _, problems = returns.checked(agreement, found.draft or {})
    section_of = {name: section for section, names in returns.fields_for(agreement).items() for name in names}
    listed = [
        {
            "text": message,
            "href": (
                f"{request.path.rsplit('/check/', 1)[0]}/{section_of[name]}/#id_{name}" if name in section_of else "#"
            ),
        }
        for name, messages_ in problems.items()
        for message in messages_
    ]
    return render(
        request,
        "contracts/returns/check.html",
        {"agreement": agreement, "monitoring_return": found, "problems": listed, "posted": request.method == "POST"},
    )


@login_required
@require_GET
def agreement_returns(request: HttpRequest, reference: str) -> HttpResponse:
    """The agreement's returns for its commissioner: each period, due day, status and review."""
    agreement = selectors.agreement_get_for_commissioner(user=request.user, reference=reference)
    return render(
        request,
        "contracts/returns/commissioner_list.html",
        {"agreement": agreement, "returns": selectors.returns_of(agreement), "today": clock.today()},
    )


class ReviewForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Your review",
        choices=[(ReviewOutcome.ACCEPTED, "Accept the return"), (ReviewOutcome.QUERIED, "Ask the provider questions")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to accept the return or ask questions"},
    )
    note = forms.CharField(
        label="Your note to the provider",
        help_text="Needed when you ask questions.",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def return_review(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """One return as submitted, with its history; accept it or ask questions back."""
    found = selectors.return_get_for_commissioner(user=request.user, reference=reference, number=number)
    form = ReviewForm(posted(request))
    if request.method == "POST":
        if form.is_valid():
            try:
                returns.return_review(actor=request.user, monitoring_return=found, **form.cleaned_data)
            except returns.ReturnError as error:
                refused_into(form, error)
            except PermissionDenied as exc:
                raise Http404 from exc
            else:
                outcome = form.cleaned_data["outcome"]
                messages.success(
                    request,
                    f"Return {number} is accepted"
                    if outcome == ReviewOutcome.ACCEPTED
                    else f"Your questions on return {number} are sent to the provider",
                )
                return redirect("contracts:return-review", reference, number)
    submitted = found.status in (ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED, ReturnStatus.QUERIED)
    return render(
        request,
        "contracts/returns/review.html",
        {
            "agreement": found.agreement,
            "monitoring_return": found,
            "reading": reading(found) if submitted else None,
            "reviews": list(found.reviews.all()),
            "form": form,
            "feedback": feedback_in_period(found.agreement, found.period_start, found.period_end),
            "covering_reading": covering_reading(request.user, found),
        },
    )
