"""The options appraisal's pages, for the record's commissioners: the options, one option's form, the choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from commissioning.frontend.forms import posted, refused_into
from commissioning.practice.checks import rule_setting
from commissioning.records.permissions import is_record_commissioner
from commissioning.records.selectors import record_get_for

from . import appraisals
from .appraisal_reading import appraisal_of, judge_appraisal, option_shape
from .forms_appraisal import ChoiceForm, OptionForm


def _record(request, reference):
    """The record for its commissioners only: an administrator may read it but the appraisal is theirs to write."""
    record = record_get_for(user=request.user, reference=reference)
    if not is_record_commissioner(request.user, record):
        raise Http404
    return record


def _option(record, number):
    appraisal = appraisal_of(record.pk)
    option = appraisal and next((o for o in appraisal.options.all() if o.pk == number), None)
    if option is None:
        raise Http404
    return option


def _overview(request, record, found, choice: ChoiceForm | None = None) -> HttpResponse:
    options = list(found.options.all()) if found else []
    if choice is None:
        initial = {"option": str(found.chosen_id or ""), "rationale": found.rationale} if found else None
        choice = ChoiceForm(initial=initial, options=options)
    return render(
        request,
        "planning/appraisal/overview.html",
        {
            "record": record,
            "appraisal": found,
            "options": [(o, option_shape(o)) for o in options],
            "judged": judge_appraisal(found, options_at_least=int(rule_setting("PL-2", "options_at_least"))),
            "frozen": appraisals.decided_elsewhere(record),
            "choice": choice,
        },
    )


@login_required
@require_GET
def appraisal(request: HttpRequest, reference: str) -> HttpResponse:
    """The options considered with their shape, benefits, risks and costs, the choice, and where PL-2 stands."""
    record = _record(request, reference)
    return _overview(request, record, appraisal_of(record.pk))


@login_required
@require_http_methods(["GET", "POST"])
def option_edit(request: HttpRequest, reference: str, number: int | None = None) -> HttpResponse:
    """Add an option, or change one."""
    record = _record(request, reference)
    option = _option(record, number) if number is not None else None
    initial = {name: getattr(option, name) for name in appraisals.OPTION_FIELDS} if option else None
    form = OptionForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = appraisals.option_save(actor=request.user, record=record, data=form.cleaned_data, option=option)
        except appraisals.AppraisalError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, f"The option \u201c{saved.description}\u201d is saved")
            return redirect("planning_appraisal:appraisal", record.reference)
    return render(request, "planning/appraisal/option_form.html", {"record": record, "option": option, "form": form})


@login_required
@require_POST
def option_remove(request: HttpRequest, reference: str, number: int) -> HttpResponse:
    """Remove an option that is not the chosen one."""
    record = _record(request, reference)
    option = _option(record, number)
    try:
        appraisals.option_remove(actor=request.user, option=option)
    except appraisals.AppraisalError as error:
        messages.error(request, str(error))
    except PermissionDenied as exc:
        raise Http404 from exc
    else:
        messages.success(request, f"The option \u201c{option.description}\u201d is removed")
    return redirect("planning_appraisal:appraisal", record.reference)


@login_required
@require_POST
def choose(request: HttpRequest, reference: str) -> HttpResponse:
    """Record the chosen option and why."""
    record = _record(request, reference)
    found = appraisal_of(record.pk)
    options = list(found.options.all()) if found else []
    form = ChoiceForm(posted(request), options=options)
    if form.is_valid():
        try:
            appraisals.appraisal_choose(
                actor=request.user,
                record=record,
                option_id=form.cleaned_data["option"],
                rationale=form.cleaned_data["rationale"],
            )
        except appraisals.AppraisalError as error:
            refused_into(form, error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, "The choice and its rationale are recorded")
            return redirect("planning_appraisal:appraisal", record.reference)
    return _overview(request, record, found, form)
