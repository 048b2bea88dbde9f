"""The Code's rules at "issuing an agreement": PR-11 and CM-1 to CM-4, for each agreement.

- PR-11: the agreement carries the Compact for Leeds clause; one whose
  document was written outside the hub must confirm that it does.
- CM-1: what monitoring asks is within the tier its value and risk give:
  no more returns a year and no more measures than the tier allows.
- CM-2: beneficiaries have a route to give feedback on the service.
- CM-3: where the provider already holds live agreements with other
  commissioning bodies, the monitoring is co-ordinated with them (said how).
- CM-4: returns break the people reached down by Leeds ward, by the protected
  characteristics and carers, and by community of interest.

Each is a plain function of the agreement and the rule's settings; not met
means "explain it, or change the agreement", and the gate stays shut until
one or the other.
"""

from commissioning.practice.catalogue import STEP_AGREEMENT_ISSUE
from commissioning.practice.checks import CheckResult, rule_check

from . import monitoring
from .models import ALL_BREAKDOWNS, Agreement, AgreementStatus, Breakdown
from .wording import COMPACT_CLAUSE

MODEL = "contracts.agreement"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@rule_check("PR-11", model=MODEL)
def compact_clause(agreement: Agreement, settings) -> CheckResult:
    """The agreement carries the Compact clause, or (written outside the hub) confirms that it does."""
    if agreement.own_document:
        if agreement.compact_confirmed:
            return CheckResult(True, "The agreement written outside the hub is confirmed to carry the Compact clause")
        return CheckResult(False, "Confirm that the agreement written outside the hub carries the Compact clause")
    if COMPACT_CLAUSE in (agreement.compact_clause or ""):
        return CheckResult(True, "The agreement carries the Compact for Leeds clause")
    return CheckResult(False, "The agreement does not carry the Compact for Leeds clause")


@rule_check("CM-1", model=MODEL)
def proportionate_monitoring(agreement: Agreement, settings) -> CheckResult:
    """No more returns a year and no more measures than the tier for the value and risk allows."""
    if not agreement.value or agreement.value <= 0 or agreement.ends_on < agreement.starts_on:
        return CheckResult.cannot_judge("The agreement needs a value and a term to set its monitoring tier")
    annual = monitoring.annual_value(agreement.value, agreement.starts_on, agreement.ends_on)
    tier = monitoring.tier_for(annual, agreement.risk, settings)
    allowance = monitoring.allowance_for(tier, agreement.value, settings)
    measures = agreement.measures.count()
    over = []
    if agreement.returns_per_year > allowance.returns_per_year:
        over.append(
            f"{_plural(agreement.returns_per_year, 'return')} a year where the tier allows {allowance.returns_per_year}"
        )
    if measures > allowance.measures:
        over.append(f"{_plural(measures, 'measure')} where the tier allows {allowance.measures}")
    label = f"{tier.label} tier"
    if over:
        return CheckResult(False, f"{label}: asks {' and '.join(over)}")
    return CheckResult(
        True,
        f"{label}: {_plural(agreement.returns_per_year, 'return')} a year and {_plural(measures, 'measure')}, "
        "within what it allows",
    )


@rule_check("CM-2", model=MODEL, step=STEP_AGREEMENT_ISSUE)
def beneficiary_route(agreement: Agreement, settings) -> CheckResult:
    """People who use the service have a public route to give feedback, seen in the monitoring."""
    if agreement.feedback_open:
        return CheckResult(True, "Beneficiaries can give feedback through the agreement's public page")
    return CheckResult(False, "The beneficiary feedback route is switched off")


def other_funders(agreement: Agreement) -> list[str]:
    """The other commissioning bodies with live agreements with the same provider, by name."""
    rows = (
        Agreement.objects.filter(
            provider_id=agreement.provider_id,
            status__in=(AgreementStatus.ISSUED, AgreementStatus.ACCEPTED),
            ends_on__gte=agreement.starts_on,
            starts_on__lte=agreement.ends_on,
        )
        .exclude(pk=agreement.pk)
        .exclude(commissioner_id=agreement.commissioner_id)
        .values_list("commissioner__name", flat=True)
        .distinct()
    )
    return sorted(set(rows))


@rule_check("CM-3", model=MODEL, step=STEP_AGREEMENT_ISSUE)
def coordinated_monitoring(agreement: Agreement, settings) -> CheckResult:
    """Where the provider reports to other funders for the same time, the monitoring is co-ordinated with them."""
    funders = other_funders(agreement)
    if not funders:
        return CheckResult(True, "The provider has no other funder's agreement for this time")
    names = ", ".join(funders)
    if (agreement.coordination_note or "").strip():
        return CheckResult(True, f"Monitoring co-ordinated with {names}")
    return CheckResult(False, f"The provider also reports to {names}: say how monitoring is co-ordinated")


@rule_check("CM-4", model=MODEL, step=STEP_AGREEMENT_ISSUE)
def breakdowns_asked(agreement: Agreement, settings) -> CheckResult:
    """Returns break the people reached down by ward, by protected characteristic and carers, and by community."""
    missing = [Breakdown(key).label.lower() for key in ALL_BREAKDOWNS if key not in (agreement.breakdowns or [])]
    if missing:
        return CheckResult(False, "Returns do not break the people reached down by " + ", ".join(missing))
    return CheckResult(True, "Returns break the people reached down by ward, characteristic and community")
