"""Pages about the Code: how it is applied (public) and its settings (administrators)."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.frontend.forms import posted, refused_into

from . import selectors
from .catalogue import STEPS
from .checks import rule_status
from .forms import ExplanationConfirmForm, ExplanationDeclineForm, RuleSettingsForm
from .models import Explanation, Rule
from .permissions import may_explain
from .services import (
    ExplanationError,
    SettingsError,
    explanation_confirm,
    explanation_decline,
    rule_settings_update,
)


def administrator_required(view: Callable) -> Callable:
    """Send anonymous visitors to sign in; answer 404 to anyone else who is not an administrator."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_administrator:
            raise Http404("Page not found")
        return view(request, *args, **kwargs)

    return wrapped


def _rule_or_404(code: str) -> Rule:
    try:
        return selectors.rule_get(code)
    except Rule.DoesNotExist as exc:
        raise Http404("There is no rule with that code") from exc


@require_GET
def code(request: HttpRequest) -> HttpResponse:
    """How we apply the Code: its principles, and every rule stage by stage."""
    return render(
        request,
        "practice/code.html",
        {
            "principles": selectors.principles_with_rules(),
            "stages": selectors.rules_by_stage(),
            "steps": STEPS,
        },
    )


@require_GET
def rule(request: HttpRequest, code: str) -> HttpResponse:
    """One rule: the Code's words, what we check and where, its settings and its principles."""
    return render(request, "practice/rule.html", {"rule": _rule_or_404(code)})


@require_GET
@administrator_required
def settings_list(request: HttpRequest) -> HttpResponse:
    """The rules whose settings an administrator can change, with their current values."""
    return render(request, "practice/settings_list.html", {"rules": selectors.rules_with_settings()})


@require_http_methods(["GET", "POST"])
@administrator_required
def settings_edit(request: HttpRequest, code: str) -> HttpResponse:
    """Change one rule's settings; bad values are shown back with what to fix, nothing saved."""
    rule = _rule_or_404(code)
    if not rule.setting_definitions:
        raise Http404("This rule has no settings")
    if request.method == "POST":
        form = RuleSettingsForm(request.POST, rule=rule)
        if form.is_valid():
            try:
                rule_settings_update(actor=request.user, rule_code=rule.code, values=form.cleaned_data)
            except SettingsError as exc:
                refused_into(form, exc)
            else:
                messages.success(request, f"{rule.code} settings saved")
                return redirect("practice:settings")
    else:
        form = RuleSettingsForm(rule=rule)
    return render(request, "practice/settings_edit.html", {"rule": rule, "form": form})


@require_GET
@login_required
def explanations(request: HttpRequest) -> HttpResponse:
    """The explanations waiting for the signed-in commissioner or administrator to confirm or decline."""
    if not may_explain(request.user):
        raise Http404("Page not found")
    waiting = selectors.explanations_awaiting(user=request.user)
    return render(request, "practice/explanations.html", {"waiting": waiting})


def _decide(request: HttpRequest, explanation: Explanation, form) -> bool:
    """Confirm or decline as posted; False (with the errors on ``form``) when it is refused."""
    if not form.is_valid():
        return False
    try:
        if isinstance(form, ExplanationConfirmForm):
            explanation_confirm(actor=request.user, explanation=explanation, words=form.cleaned_data["words"])
            messages.success(request, f"You confirmed the explanation of {explanation.rule.code}")
        else:
            explanation_decline(actor=request.user, explanation=explanation, reason=form.cleaned_data["reason"])
            messages.success(request, f"You declined the explanation of {explanation.rule.code}")
    except ExplanationError as error:
        refused_into(form, error)
        return False
    except PermissionDenied as exc:
        raise Http404("Page not found") from exc
    return True


@require_http_methods(["GET", "POST"])
@login_required
def explanation(request: HttpRequest, explanation_id: int) -> HttpResponse:
    """One explanation for the person named to confirm it: what it explains, and confirm or decline."""
    try:
        found = selectors.explanation_get_for_confirmer(user=request.user, explanation_id=explanation_id)
    except Explanation.DoesNotExist as exc:
        raise Http404("Page not found") from exc
    action = request.POST.get("action") if request.method == "POST" else None
    confirm_form = ExplanationConfirmForm(posted(request) if action == "confirm" else None, prefix="confirm")
    decline_form = ExplanationDeclineForm(posted(request) if action == "decline" else None, prefix="decline")
    if action in ("confirm", "decline"):
        if _decide(request, found, confirm_form if action == "confirm" else decline_form):
            return redirect("practice:explanations")
        found.refresh_from_db()
    status = rule_status(found.subject, found.rule.code) if found.subject is not None else None
    return render(
        request,
        "practice/explanation.html",
        {
            "explanation": found,
            "status": status,
            "confirm_form": confirm_form,
            "decline_form": decline_form,
            "bound": confirm_form if action == "confirm" else decline_form,
        },
    )
