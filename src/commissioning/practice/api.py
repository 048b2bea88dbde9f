"""The Code's catalogue as open data: principles, rules and their current settings."""

from django.http import HttpRequest
from ninja import Router, Status

from . import selectors
from .models import Principle, Rule
from .schemas import PrincipleOut, ProblemOut, RuleOut

router = Router(tags=["Code of Practice"])


def _rule_out(rule: Rule) -> dict:
    typed = rule.typed_settings
    stored = {d.key: d.stored(typed[d.key]) for d in rule.setting_definitions}
    return {
        "code": rule.code,
        "stage": rule.stage,
        "stage_label": rule.stage_label,
        "title": rule.title,
        "code_text": rule.code_text,
        "check_text": rule.check_text,
        "guards_step": rule.guards_step or None,
        "guards_step_label": rule.guards_step_label or None,
        "active": rule.active,
        "principles": [p.number for p in rule.principles.all()],
        "settings": stored,
        "setting_definitions": [
            {
                "key": d.key,
                "label": d.label,
                "kind": d.kind,
                "value": stored[d.key],
                "default": d.stored(d.default),
                "minimum": d.stored(d.minimum),
                "maximum": d.stored(d.maximum),
                "in_words": d.describe(typed[d.key]),
            }
            for d in rule.setting_definitions
        ],
    }


def _principle_out(principle: Principle) -> dict:
    return {
        "number": principle.number,
        "title": principle.title,
        "text": principle.text,
        "rules": [rule.code for rule in principle.rules.all()],
    }


@router.get("/rules", response=list[RuleOut], summary="List the Code's rules")
def rules(request: HttpRequest):
    """Every rule of the Code in catalogue order, with its principles and current settings."""
    return [_rule_out(rule) for rule in selectors.rules_list()]


@router.get(
    "/rules/{code}",
    response={200: RuleOut, 404: ProblemOut},
    summary="Get one rule",
)
def rule(request: HttpRequest, code: str):
    """One rule by its code (for example PR-5); 404 when there is no such rule."""
    try:
        found = selectors.rule_get(code)
    except Rule.DoesNotExist:
        return Status(404, {"detail": f"There is no rule with the code {code!r}"})
    return Status(200, _rule_out(found))


@router.get("/principles", response=list[PrincipleOut], summary="List the Code's principles")
def principles(request: HttpRequest):
    """The Code's 12 principles in order, in the Code's words, each with the rules that serve it."""
    return [_principle_out(p) for p in selectors.principles_with_rules()]
