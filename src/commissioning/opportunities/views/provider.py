"""Providers' actions on an opportunity: register interest, ask, book; their alerts and questions.

Each action acts for one of the verified providers the person belongs to; a
refusal shows the opportunity's page again with the GOV.UK error summary.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.frontend.forms import GovukForm, posted, refused_into

from .. import selectors, services
from ..forms import AlertsForm, AskForm
from .public import book_form, detail_page


class InterestForm(GovukForm):
    organisation = forms.ChoiceField(label="For")


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
    return detail_page(request, opportunity, failed=form, failed_event=event_id)


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
        form=book_form(event_id, request.POST),
        act=act,
        success="Your places are booked",
        anchor="#events",
        event_id=event_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def alerts(request: HttpRequest) -> HttpResponse:
    """Choose the service areas and wards you want e-mail alerts for."""
    initial = selectors.alert_choices_for(user=request.user)
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


@login_required
@require_GET
def my_questions(request: HttpRequest) -> HttpResponse:
    """Your organisation's clarification questions: your words, the words published, and the answers."""
    return render(
        request, "opportunities/my_questions.html", {"questions": selectors.clarifications_asked_by(user=request.user)}
    )
