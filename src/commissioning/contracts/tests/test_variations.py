"""Variations and inflation: proposed with the reason, sized against the original, a change notice when the
law asks; decided by a second person, applied to the agreement and its unpaid instalments; the value
against the CPI and the uplift that restores it; the CPI figures administrators keep."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent

from .. import inflation, monitoring, payments, variations
from ..models import Agreement, InflationRate, Variation, VariationStatus
from .factories import direct_agreement

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


@pytest.fixture
def running():
    """£30,000 over 2026/27, paid quarterly in arrears (four instalments of £7,500); today is 30 November."""
    with time_machine.travel(date(2026, 3, 1), tick=False):
        agreement = direct_agreement(accept_as=True, starts_on=date(2026, 4, 1))
    travel = time_machine.travel(TODAY, tick=False)
    travel.start()
    yield agreement
    travel.stop()


def colleague(agreement):
    """Another commissioner of the body that let the agreement: the second person who decides."""
    return person_with_role(Role.COMMISSIONER, agreement.commissioner)


def pay(agreement, number, amount=None):
    payment = agreement.payments.get(number=number)
    return payments.payment_record(
        actor=agreement.commissioner_person,
        payment=payment,
        invoice_received_on=payment.due_on,
        paid_on=payment.due_on,
        paid_amount=amount,
    )


def propose(agreement, **fields):
    fields.setdefault("reason", "More sessions in Armley after the library closed")
    return variations.variation_propose(actor=agreement.commissioner_person, agreement=agreement, **fields)


def fresh(agreement):
    """The agreement as saved now, still knowing its commissioner and provider administrator."""
    found = Agreement.objects.get(pk=agreement.pk)
    found.commissioner_person, found.admin = agreement.commissioner_person, agreement.admin
    return found


# Proposing: sized against the original, numbered, with the change notice.


def test_a_change_of_value_is_numbered_and_sized_against_the_original_value(running):
    first = propose(running, kind="value", new_value=Decimal("33000"))
    second = propose(running, kind="term", new_ends_on=date(2027, 6, 30))
    assert (first.number, second.number) == (1, 2)
    assert first.value_change == Decimal("3000") and first.percent_of_original == Decimal("10.00")
    assert second.percent_of_original == Decimal("24.93")  # 91 days on a 365-day term
    # £30,000 is below the threshold: no change notice, and the reason says why.
    assert not first.change_notice_required and "Below the threshold" in first.change_notice_reason
    assert fresh(running).value == Decimal("30000")  # nothing changes until a second person approves
    other = direct_agreement(accept_as=True)
    assert propose(other, kind="value", new_value=Decimal("31000")).number == 1
    event = AuditEvent.objects.filter(verb="variation.propose", object_id=str(running.pk)).first()
    assert event.after["variation"] == 2 and event.reason


def test_a_contract_above_the_threshold_needs_a_change_notice_over_ten_per_cent_counted_together():
    agreement = direct_agreement(accept_as=True, value=Decimal("500000"))
    small = propose(agreement, kind="value", new_value=Decimal("540000"))
    assert not small.change_notice_required and "Within the limits" in small.change_notice_reason
    variations.variation_decide(actor=colleague(agreement), variation=small, approve=True)
    # 8% approved and another 5% now: 13% of the original together, so a notice is needed.
    more = propose(fresh(agreement), kind="value", new_value=Decimal("565000"))
    assert more.percent_of_original == Decimal("5.00")
    assert more.change_notice_required and "13.0% of the original" in more.change_notice_reason
    longer = propose(fresh(agreement), kind="term", new_ends_on=date(2027, 8, 31))
    assert longer.change_notice_required and "the term changes" in longer.change_notice_reason
    scope = propose(fresh(agreement), kind="scope", scope_change="Add Bramley", material_scope_change=True)
    assert scope.change_notice_required and "scope changes materially" in scope.change_notice_reason


def test_light_touch_contracts_and_grants_never_need_a_change_notice():
    light = direct_agreement(accept_as=True, value=Decimal("900000"))
    Agreement.objects.filter(pk=light.pk).update(light_touch=True)
    varied = propose(fresh(light), kind="value", new_value=Decimal("1200000"))
    assert not varied.change_notice_required and "Light-touch" in varied.change_notice_reason
    grant = direct_agreement(accept_as=True, kind="grant", value=Decimal("900000"))
    varied = propose(grant, kind="value", new_value=Decimal("1200000"))
    assert not varied.change_notice_required and "grant" in varied.change_notice_reason


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "value", "new_value": Decimal("0")}, "new_value"),
        ({"kind": "value", "new_value": Decimal("-5")}, "new_value"),
        ({"kind": "value", "new_value": None}, "new_value"),
        ({"kind": "value", "new_value": Decimal("30000")}, "new_value"),
        ({"kind": "term", "new_ends_on": date(2026, 3, 31)}, "new_ends_on"),
        ({"kind": "term", "new_ends_on": date(2026, 11, 1)}, "new_ends_on"),
        ({"kind": "term", "new_ends_on": date(2027, 3, 31)}, "new_ends_on"),
        ({"kind": "term", "new_ends_on": None}, "new_ends_on"),
        ({"kind": "scope", "scope_change": "  "}, "scope_change"),
        ({"kind": "uplift", "uplift_percent": Decimal("0")}, "uplift_percent"),
        ({"kind": "uplift", "uplift_percent": Decimal("75")}, "uplift_percent"),
        ({"kind": "nonsense"}, "kind"),
        ({"kind": "value", "new_value": Decimal("31000"), "reason": "   "}, "reason"),
    ],
)
def test_a_bad_proposal_is_refused_on_its_field_and_nothing_is_saved(running, fields, field):
    with pytest.raises(variations.VariationError) as refused:
        propose(running, **fields)
    assert field in refused.value.errors
    assert not running.variations.exists() and fresh(running).value == Decimal("30000")


def test_a_value_below_what_has_been_paid_is_refused_with_a_clear_message(running):
    pay(running, 1)
    pay(running, 2)
    with pytest.raises(variations.VariationError) as refused:
        propose(running, kind="value", new_value=Decimal("12000"))
    assert refused.value.errors["new_value"] == [
        "The new value cannot be less than the £15,000 already paid: nothing was changed"
    ]
    with pytest.raises(variations.VariationError):
        propose(running, kind="term", new_ends_on=date(2027, 1, 31), new_value=Decimal("14999.99"))
    assert not running.variations.exists()


def test_a_reduction_that_would_leave_an_instalment_at_nothing_is_refused(running):
    pay(running, 1, amount=Decimal("7000"))
    with pytest.raises(variations.VariationError) as refused:
        propose(running, kind="value", new_value=Decimal("7000"))
    assert "£0 or less" in refused.value.errors["new_value"][0] and not running.variations.exists()


def test_a_shorter_term_cannot_end_before_an_instalment_that_has_been_paid(running):
    pay(running, 1)
    pay(running, 2)
    with time_machine.travel(date(2026, 9, 1), tick=False):
        with pytest.raises(variations.VariationError) as refused:
            propose(running, kind="term", new_ends_on=date(2026, 9, 20))
    assert "paid" in refused.value.errors["new_ends_on"][0]


def test_a_draft_is_edited_instead_and_another_body_cannot_propose():
    draft = direct_agreement()
    with pytest.raises(variations.VariationError) as refused:
        propose(draft, kind="value", new_value=Decimal("31000"))
    assert "editing it" in str(refused.value)
    issued = direct_agreement(issue=True)
    assert propose(issued, kind="value", new_value=Decimal("31000")).number == 1
    stranger = person_with_role(Role.COMMISSIONER)
    with pytest.raises(PermissionDenied):
        variations.variation_propose(
            actor=stranger, agreement=issued, kind="value", new_value=Decimal("32000"), reason="Mine"
        )


def test_the_same_proposal_twice_makes_one_variation(running):
    propose(running, kind="value", new_value=Decimal("33000"))
    with pytest.raises(variations.VariationError) as refused:
        propose(running, kind="value", new_value=Decimal("33000"))
    assert "already waiting" in str(refused.value) and running.variations.count() == 1


# Deciding: a second person, once; approving applies it.


def test_approval_spreads_an_increase_over_the_unpaid_instalments_and_tells_the_provider(
    running, django_capture_on_commit_callbacks
):
    pay(running, 1)
    proposed = propose(running, kind="value", new_value=Decimal("33000"))
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        approved = variations.variation_decide(
            actor=colleague(running), variation=proposed, approve=True, note="Agreed at the contract meeting"
        )
    assert approved.status == VariationStatus.APPROVED and approved.decided_at
    agreement = fresh(running)
    amounts = list(agreement.payments.order_by("number").values_list("amount", flat=True))
    assert amounts == [Decimal("7500"), Decimal("8500"), Decimal("8500"), Decimal("8500")]
    assert agreement.value == Decimal("33000") == sum(amounts)
    sent = [m for m in mail.outbox if "Agreement varied" in m.subject]
    assert [m.to for m in sent] == [[running.admin.email]] and "£33,000" in sent[0].body
    event = AuditEvent.objects.get(verb="variation.approve", object_id=str(running.pk))
    assert event.before["value"] == "30000.00" and event.after["value"] == "33000.00"
    assert variations.original_terms(agreement).value == Decimal("30000")


def test_a_decrease_comes_off_the_unpaid_instalments_never_a_paid_one(running):
    pay(running, 1)
    proposed = propose(running, kind="value", new_value=Decimal("27000"))
    variations.variation_decide(actor=colleague(running), variation=proposed, approve=True)
    amounts = list(fresh(running).payments.order_by("number").values_list("amount", flat=True))
    assert amounts == [Decimal("7500"), Decimal("6500"), Decimal("6500"), Decimal("6500")]


def test_approval_is_checked_again_against_what_was_paid_since_it_was_proposed(running):
    proposed = propose(running, kind="value", new_value=Decimal("14000"))
    pay(running, 1)
    pay(running, 2)
    with pytest.raises(variations.VariationError) as refused:
        variations.variation_decide(actor=colleague(running), variation=proposed, approve=True)
    assert "£15,000 already paid" in str(refused.value)
    assert fresh(running).value == Decimal("30000")
    assert Variation.objects.get(pk=proposed.pk).status == VariationStatus.PROPOSED


def test_an_extension_adds_its_returns_and_with_more_money_its_instalments(running):
    returns_before = running.returns.count()
    proposed = propose(running, kind="term", new_ends_on=date(2027, 9, 30), new_value=Decimal("37500"))
    variations.variation_decide(actor=colleague(running), variation=proposed, approve=True)
    agreement = fresh(running)
    assert agreement.ends_on == date(2027, 9, 30)
    added = list(agreement.returns.order_by("number"))[returns_before:]
    assert added and added[0].period_start == date(2027, 4, 1) and added[-1].period_end == date(2027, 9, 30)
    new_payments = list(agreement.payments.order_by("number"))[4:]
    assert [p.amount for p in new_payments] == [Decimal("3750"), Decimal("3750")]
    assert sum(p.amount for p in agreement.payments.all()) == agreement.value == Decimal("37500")


def test_the_proposer_never_decides_and_a_decision_is_made_once(running):
    proposed = propose(running, kind="value", new_value=Decimal("33000"))
    with pytest.raises(PermissionDenied):
        variations.variation_decide(actor=running.commissioner_person, variation=proposed, approve=True)
    with pytest.raises(PermissionDenied):
        variations.variation_decide(actor=person_with_role(Role.COMMISSIONER), variation=proposed, approve=True)
    with pytest.raises(variations.VariationError) as refused:
        variations.variation_decide(actor=colleague(running), variation=proposed, approve=False)
    assert "note" in refused.value.errors
    administrator = person_with_role(Role.ADMINISTRATOR)
    rejected = variations.variation_decide(
        actor=administrator, variation=proposed, approve=False, note="Not in this year's budget"
    )
    assert rejected.status == VariationStatus.REJECTED and fresh(running).value == Decimal("30000")
    with pytest.raises(variations.VariationError) as twice:
        variations.variation_decide(actor=colleague(running), variation=proposed, approve=True)
    assert "already been decided" in str(twice.value)
    assert AuditEvent.objects.filter(verb="variation.reject", object_id=str(running.pk)).exists()


# Inflation: the value in its start year's pounds, and the uplift.


def test_the_value_against_inflation_in_the_start_years_pounds():
    with time_machine.travel(date(2021, 3, 1), tick=False):
        agreement = direct_agreement(accept_as=True, value=Decimal("240000"), starts_on=date(2021, 4, 1), months=72)
    with time_machine.travel(date(2025, 12, 1), tick=False):
        against = inflation.against_inflation(agreement, agreement.value)
    rates = {year: item.rate for year, item in inflation.rates_by_year().items()}
    annual = monitoring.annual_value(Decimal("240000"), date(2021, 4, 1), agreement.ends_on)
    real = monitoring.real_terms(annual, 2021, 2025, rates)
    assert [row.year for row in against.rows] == [2021, 2022, 2023, 2024, 2025]
    assert against.sentence == f"£{annual:,.0f} a year since 2021 is £{real:,} in 2021 pounds"
    assert inflation.rates_by_year()[2026].basis == "12 months to July"  # 2026 has no annual average yet
    expected = ((monitoring.uplift_to_keep_value(annual, 2021, 2025, rates) / annual - 1) * 100).quantize(
        Decimal("0.01")
    )
    assert against.uplift_percent == expected > 0
    assert "<svg" in against.chart and "<title" in against.chart


def test_an_uplift_applies_to_what_is_left_to_pay(running):
    pay(running, 1)
    uplift = propose(running, kind="uplift", uplift_percent=Decimal("4"))
    assert uplift.value_change == Decimal("900.00")  # 4% of the £22,500 left
    variations.variation_decide(actor=colleague(running), variation=uplift, approve=True)
    assert fresh(running).value == Decimal("30900")


# The CPI figures administrators keep.


def test_an_administrator_adds_and_corrects_a_cpi_figure_audited():
    administrator = person_with_role(Role.ADMINISTRATOR)
    with time_machine.travel(TODAY, tick=False):
        made = inflation.inflation_rate_add(
            actor=administrator, year=2026, month=8, rate=Decimal("3.1"), source="ONS, 16 September 2026"
        )
        with pytest.raises(inflation.InflationError) as duplicate:
            inflation.inflation_rate_add(actor=administrator, year=2026, month=8, rate=Decimal("3.0"), source="x")
        assert "month" in duplicate.value.errors
        with pytest.raises(inflation.InflationError) as annual:
            inflation.inflation_rate_add(actor=administrator, year=2024, month=None, rate=Decimal("2"), source="x")
        assert "year" in annual.value.errors
        inflation.inflation_rate_correct(actor=administrator, figure=made, rate=Decimal("3.2"), source="Revised")
    assert InflationRate.objects.get(pk=made.pk).rate == Decimal("3.2")
    event = AuditEvent.objects.get(verb="inflation_rate.correct")
    assert event.before["rate"] == "3.1" and event.after["rate"] == "3.2"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"year": 2027, "month": None, "rate": Decimal("2")}, "year"),
        ({"year": 2026, "month": 13, "rate": Decimal("2")}, "month"),
        ({"year": 2026, "month": 0, "rate": Decimal("2")}, "month"),
        ({"year": 2026, "month": 12, "rate": Decimal("2")}, "month"),
        ({"year": 2019, "month": 5, "rate": Decimal("60")}, "rate"),
        ({"year": 2019, "month": 5, "rate": Decimal("-21")}, "rate"),
        ({"year": 2019, "month": 5, "rate": None}, "rate"),
    ],
)
def test_a_bad_cpi_figure_is_refused_on_its_field(fields, field):
    with time_machine.travel(TODAY, tick=False), pytest.raises(inflation.InflationError) as refused:
        inflation.inflation_rate_add(actor=person_with_role(Role.ADMINISTRATOR), source="ONS", **fields)
    assert field in refused.value.errors


def test_only_administrators_keep_the_cpi_figures(client):
    commissioner = person_with_role(Role.COMMISSIONER)
    with pytest.raises(PermissionDenied):
        inflation.inflation_rate_add(actor=commissioner, year=2019, month=5, rate=Decimal("2"), source="ONS")
    client.force_login(commissioner)
    assert client.get("/contracts/inflation/").status_code == 404
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    page = client.get("/contracts/inflation/")
    assert page.status_code == 200 and "9.1%" in page.content.decode()
    refused = client.post("/contracts/inflation/", {"year": "2022", "month": "", "rate": "9.0", "source": "ONS"})
    html = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in html and "correct it instead" in html
    corrected = client.post("/contracts/inflation/2022/", {"rate": "9.2", "source": "ONS, revised"})
    assert corrected.status_code == 302 and InflationRate.objects.get(year=2022, month=None).rate == Decimal("9.2")


# The pages.


def test_the_pages_propose_show_and_decide_a_variation(running, client):
    client.force_login(running.commissioner_person)
    base = f"/contracts/commissioning/{running.reference}/variations/"
    listing = client.get(base).content.decode()
    assert "Propose a variation" in listing and "<svg" in listing and "in 2026 pounds" in listing
    garbage = client.post(base + "new/", {"kind": "value", "new_value": "lots", "reason": "More"})
    assert "govuk-error-summary" in garbage.content.decode() and not running.variations.exists()
    below = client.post(base + "new/", {"kind": "value", "new_value": "0", "reason": "Less"})
    assert "more than £0" in below.content.decode()
    made = client.post(base + "new/", {"kind": "value", "new_value": "33,000", "reason": "More sessions"})
    assert made.status_code == 302 and made["Location"] == base + "1/"
    own = client.get(base + "1/").content.decode()
    assert "Save the decision" not in own and "Not needed" in own
    assert client.post(base + "1/", {"decision": "approve"}).status_code == 404  # never the proposer
    client.force_login(colleague(running))
    assert "Save the decision" in client.get(base + "1/").content.decode()
    decided = client.post(base + "1/", {"decision": "approve", "note": ""})
    assert decided.status_code == 302 and fresh(running).value == Decimal("33000")
    client.force_login(person_with_role(Role.COMMISSIONER))
    assert client.get(base).status_code == 404 and client.get(base + "1/").status_code == 404
    # The provider sees the approved variation, read only; the register shows the value as varied.
    client.force_login(running.admin)
    provider_page = client.get(f"/contracts/yours/{running.reference}/").content.decode()
    assert "Approved variations" in provider_page and "£33,000" in provider_page
    client.logout()
    public = client.get(f"/contracts/{running.reference}/").content.decode()
    assert "33000.00" in public and "Varied 1 time" in public


def test_the_uplift_page_is_pre_filled_with_what_would_restore_the_value(client):
    with time_machine.travel(date(2024, 3, 1), tick=False):
        agreement = direct_agreement(accept_as=True, value=Decimal("90000"), starts_on=date(2024, 4, 1), months=36)
    with time_machine.travel(TODAY, tick=False):
        against = inflation.against_inflation(agreement, agreement.value)
        client.force_login(agreement.commissioner_person)
        page = client.get(f"/contracts/commissioning/{agreement.reference}/variations/uplift/").content.decode()
        assert f'value="{against.uplift_percent}"' in page and against.sentence in page
        made = client.post(
            f"/contracts/commissioning/{agreement.reference}/variations/uplift/",
            {"uplift_percent": str(against.uplift_percent), "reason": "CPI since 2024"},
        )
    assert made.status_code == 302 and agreement.variations.get().kind == "uplift"


def test_forty_thousand_a_year_since_2021_in_2021_pounds():
    with time_machine.travel(date(2021, 3, 1), tick=False):
        agreement = direct_agreement(accept_as=True, value=Decimal("160000"), starts_on=date(2021, 4, 1), months=48)
    with time_machine.travel(TODAY, tick=False):
        against = inflation.against_inflation(agreement, agreement.value)
    # 2022 to 2025's annual averages: 9.1%, 7.3%, 2.5% and 3.4%.
    assert against.sentence == "£40,000 a year since 2021 is £32,240 in 2021 pounds"


PENCE = st.integers(min_value=1, max_value=10_000_000).map(lambda n: Decimal(n) / 100)


@given(amounts=st.lists(PENCE, min_size=1, max_size=12), change=st.integers(-10_000_000, 10_000_000))
def test_a_change_spread_over_instalments_adds_up_exactly_and_follows_their_sizes(amounts, change):
    change = Decimal(change) / 100
    shares = variations.shares_of(amounts, change)
    assert len(shares) == len(amounts) and sum(shares) == change
    total = sum(amounts)
    for amount, share in zip(amounts[:-1], shares[:-1], strict=True):
        assert abs(share - change * amount / total) <= Decimal("0.005")


def test_the_variations_page_costs_the_same_queries_however_many_variations(running, client):
    client.force_login(running.commissioner_person)
    url = f"/contracts/commissioning/{running.reference}/variations/"
    propose(running, kind="value", new_value=Decimal("31000"))
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(4):
        propose(running, kind="scope", scope_change=f"Another place {n}")
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    assert len(five) == len(one)
