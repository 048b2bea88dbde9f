"""Pages about the Code: how it is applied (public) and its settings (administrators)."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from . import selectors
from .catalogue import STEPS
from .forms import RuleSettingsForm
from .models import Rule
from .services import SettingsError, rule_settings_update


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
                for key, message in exc.errors.items():
                    form.add_error(key if key in form.fields else None, message)
            else:
                messages.success(request, f"{rule.code} settings saved")
                return redirect("practice:settings")
    else:
        form = RuleSettingsForm(rule=rule)
    return render(request, "practice/settings_edit.html", {"rule": rule, "form": form})
