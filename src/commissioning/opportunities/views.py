"""Public pages: the finder and an opportunity's page."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.evidence.standard_items import StandardItem
from commissioning.frontend.filters import clear_filters_href, selected_filters
from commissioning.frontend.forms import GovukForm, posted, refused_into
from commissioning.practice.selectors import explanations_pending_for, rule_outcomes_for

from . import selectors, services
from .forms import AlertsForm, AskForm, BookForm, FinderForm
from .models import AlertSubscription
from .permissions import is_commissioner_for
from .rules import weights


class InterestForm(GovukForm):
    organisation = forms.ChoiceField(label="For")


def finder_filters(form: FinderForm) -> selectors.FinderFilter:
    """The finder's filters from a bound form (invalid parts are ignored, never an error page)."""
    if not form.is_bound:
        return selectors.FinderFilter()
    form.is_valid()
    data = form.cleaned_data
    return selectors.FinderFilter(
        query=data.get("q") or "",
        kind=data.get("kind") or "",
        service_area=data.get("area") or "",
        ward=data.get("ward") or "",
        value_band=data.get("value") or "",
        closing_before=data.get("closing_before"),
        small_organisations=bool(data.get("small")),
        state=data.get("state") or "open",
        sort=data.get("sort") or "closing",
    )


# The finder's filters, in the order the panel shows them; "state" is "open" unless chosen otherwise.
FINDER_FILTERS = ["q", "state", "kind", "area", "ward", "value", "closing_before", "small"]
FINDER_DEFAULTS = {"state": "open"}


@require_GET
def finder(request: HttpRequest) -> HttpResponse:
    """Find work (PR-1): search and filter published tenders and grant rounds."""
    form = FinderForm(request.GET or None)
    found = selectors.finder(filters=finder_filters(form))
    page = Paginator(found, settings.FINDER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    path = reverse("opportunities:finder")
    return render(
        request,
        "opportunities/finder.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "filter_names": FINDER_FILTERS,
            "selected": selected_filters(form, FINDER_FILTERS, path=path, defaults=FINDER_DEFAULTS),
            "clear_href": clear_filters_href(form, FINDER_FILTERS, path=path),
        },
    )


@require_GET
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    """An opportunity's page: what, where, how much, when, how it is judged, and how it applies the Code."""
    opportunity = selectors.opportunity_get_for(user=request.user, reference=reference)
    return _detail_page(request, opportunity)


def _book_form(event_id: int, data=None) -> BookForm:
    # Each event's booking form has its own ids, so an error links to that event's fields.
    return BookForm(data, auto_id=f"event-{event_id}-%s")


def _detail_page(request: HttpRequest, opportunity, *, failed=None, failed_event: int | None = None) -> HttpResponse:
    """The opportunity's page; ``failed`` is a provider's form that was refused, shown with its errors."""
    context = {
        "opportunity": opportunity,
        "weights": weights(opportunity),
        "code_outcomes": rule_outcomes_for(obj=opportunity),
        "code_pending": explanations_pending_for(obj=opportunity),
        "provider_organisations": [],
        "standard_item_labels": dict(StandardItem.choices),
        "failed_form": failed,
    }
    if request.user.is_authenticated:
        organisations = selectors.provider_organisations_for(user=request.user)
        context["provider_organisations"] = organisations
        context["interests"] = {
            i.organisation_id: i for i in opportunity.interests.filter(organisation__in=organisations)
        }
        context["ask_form"] = failed if isinstance(failed, AskForm) else AskForm()
        context["book_forms"] = {
            e.pk: failed if failed_event == e.pk else _book_form(e.pk) for e in opportunity.events.all()
        }
        context["is_commissioner"] = is_commissioner_for(request.user, opportunity)
    return render(request, "opportunities/detail.html", context)


def _provider_choice(request, form, field="organisation"):
    organisations = selectors.provider_organisations_for(user=request.user)
    form.fields[field].choices = [(o.pk, o.name) for o in organisations]
    return {o.pk: o for o in organisations}


def _provider_action(request, reference, *, form, act, success, anchor, event_id=None):
    """Shared shape of the provider actions on an opportunity's page: check, act, come back.

    A refusal (a field left blank, a rule of the service) shows the page again with the
    GOV.UK error summary and the message on its field, keeping what was typed.
    """
    opportunity = selectors.opportunity_get_for(user=request.user, reference=reference)
    organisations = _provider_choice(request, form)
    if not organisations:
        raise Http404
    if form.is_valid():
        try:
            act(opportunity, organisations[int(form.cleaned_data["organisation"])], form.cleaned_data)
        except services.OpportunityError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, success)
            return redirect(reverse("opportunities:detail", args=[reference]) + anchor)
    if form.errors.get("organisation"):
        # The organisation travels in a hidden field: there is no field on the page to mark.
        del form.errors["organisation"]
        form.add_error(None, "Choose an organisation you act for")
    return _detail_page(request, opportunity, failed=form, failed_event=event_id)


@login_required
@require_POST
def interest(request: HttpRequest, reference: str) -> HttpResponse:
    """Register interest in an opportunity (and follow it), or stop following."""
    following = request.POST.get("following", "yes") == "yes"
    return _provider_action(
        request,
        reference,
        form=InterestForm(request.POST),
        act=lambda o, org, data: services.interest_register(
            actor=request.user, organisation=org, opportunity=o, following=following
        ),
        success="You are following this opportunity" if following else "You have stopped following this opportunity",
        anchor="#take-part",
    )


@login_required
@require_POST
def ask(request: HttpRequest, reference: str) -> HttpResponse:
    """Ask a clarification question."""
    return _provider_action(
        request,
        reference,
        form=AskForm(request.POST),
        act=lambda o, org, data: services.clarification_ask(
            actor=request.user, organisation=org, opportunity=o, question=data["question"]
        ),
        success="Your question has been sent. The answer will be published here for everyone.",
        anchor="#questions",
    )


@login_required
@require_POST
def book(request: HttpRequest, reference: str, event_id: int) -> HttpResponse:
    """Book places at an engagement event."""

    def act(opportunity, organisation, data):
        event = next((e for e in opportunity.events.all() if e.pk == event_id), None)
        if event is None:
            raise Http404
        services.event_register(
            actor=request.user,
            organisation=organisation,
            event=event,
            attendees=data["attendees"],
            access_needs=data["access_needs"],
        )

    return _provider_action(
        request,
        reference,
        form=_book_form(event_id, request.POST),
        act=act,
        success="Your places are booked",
        anchor="#events",
        event_id=event_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alerts(request: HttpRequest) -> HttpResponse:
    """Choose the service areas and wards you want e-mail alerts for."""
    subscription = AlertSubscription.objects.filter(user=request.user).first()
    initial = {}
    if subscription:
        initial = {
            "service_areas": list(subscription.service_areas.all()),
            "wards": list(subscription.wards.values_list("code", flat=True)),
        }
    form = AlertsForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.alerts_set(
            actor=request.user,
            service_areas=list(form.cleaned_data["service_areas"]),
            ward_codes=form.cleaned_data["wards"],
        )
        messages.success(request, "Your alerts have been saved")
        return redirect("opportunities:alerts")
    return render(request, "opportunities/alerts.html", {"form": form})


@require_GET
def document(request: HttpRequest, reference: str, document_id: int) -> HttpResponse:
    """Download one of an opportunity's documents (as public as the opportunity itself)."""
    from django.http import FileResponse

    opportunity = selectors.opportunity_get_for(user=request.user, reference=reference)
    found = next((d for d in opportunity.documents.all() if d.pk == document_id), None)
    if found is None:
        raise Http404
    filename = found.file.name.rsplit("/", 1)[-1]
    response = FileResponse(
        found.file.open("rb"), content_type=found.content_type, as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def my_questions(request: HttpRequest) -> HttpResponse:
    """Your organisation's clarification questions: your words, the words published, and the answers."""
    return render(
        request, "opportunities/my_questions.html", {"questions": selectors.clarifications_asked_by(user=request.user)}
    )
