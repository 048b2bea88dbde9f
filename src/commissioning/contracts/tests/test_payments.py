"""Payments: invoices received and paid, days to pay against the terms, and a body's record of paying on time."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role

from .. import payments
from ..models import Agreement
from .factories import direct_agreement

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


@pytest.fixture
def running():
    with time_machine.travel(date(2026, 3, 1), tick=False):
        agreement = direct_agreement(accept_as=True, starts_on=date(2026, 4, 1))
    travel = time_machine.travel(TODAY, tick=False)
    travel.start()
    yield agreement
    travel.stop()


def first(agreement):
    return agreement.payments.order_by("number").first()


def test_an_invoice_paid_within_the_terms_is_on_time_and_one_paid_after_is_late(running):
    one, two = list(running.payments.order_by("number"))[:2]
    paid = payments.payment_record(
        actor=running.commissioner_person, payment=one, invoice_received_on=date(2026, 7, 2), paid_on=date(2026, 7, 20)
    )
    assert payments.standing(paid, TODAY).days == 18 and payments.standing(paid, TODAY).on_time
    late = payments.payment_record(
        actor=running.commissioner_person,
        payment=two,
        invoice_received_on=date(2026, 10, 1),
        paid_on=date(2026, 11, 14),
    )
    assert payments.standing(late, TODAY).days == 44 and payments.standing(late, TODAY).on_time is False


def test_an_unpaid_invoice_past_the_terms_is_late_now(running):
    waiting = payments.payment_record(
        actor=running.commissioner_person, payment=first(running), invoice_received_on=date(2026, 10, 1)
    )
    assert payments.standing(waiting, TODAY).late_now and payments.standing(waiting, TODAY).due_by == date(2026, 10, 31)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"invoice_received_on": date(2026, 7, 2), "paid_on": date(2026, 7, 1)}, "paid_on"),
        ({"invoice_received_on": date(2026, 12, 25)}, "invoice_received_on"),
        ({"invoice_received_on": date(2026, 7, 2), "paid_on": date(2026, 12, 25)}, "paid_on"),
        ({"invoice_received_on": None}, "invoice_received_on"),
        ({"invoice_received_on": date(2026, 7, 2), "paid_on": date(2026, 7, 3), "paid_amount": "-5"}, "paid_amount"),
        ({"invoice_received_on": date(2026, 7, 2), "paid_on": date(2026, 7, 3), "paid_amount": "ten"}, "paid_amount"),
        (
            {"invoice_received_on": date(2026, 7, 2), "paid_on": date(2026, 7, 3), "paid_amount": "30000.01"},
            "paid_amount",
        ),
    ],
)
def test_a_bad_payment_record_is_refused_on_its_field_and_nothing_changes(running, fields, field):
    with pytest.raises(payments.PaymentError) as refused:
        payments.payment_record(actor=running.commissioner_person, payment=first(running), **fields)
    assert field in refused.value.errors
    assert first(running).paid_on is None and first(running).invoice_received_on is None


def test_only_the_agreements_commissioners_record_payments(running):
    for person in (running.admin, person_with_role(Role.COMMISSIONER)):
        with pytest.raises(PermissionDenied):
            payments.payment_record(actor=person, payment=first(running), invoice_received_on=date(2026, 7, 2))


def test_both_sides_see_the_days_to_pay_on_their_pages(client, running):
    payments.payment_record(
        actor=running.commissioner_person,
        payment=first(running),
        invoice_received_on=date(2026, 7, 2),
        paid_on=date(2026, 8, 20),
    )
    for person, url in (
        (running.commissioner_person, f"/contracts/commissioning/{running.reference}/payments/"),
        (running.admin, f"/contracts/yours/{running.reference}/payments/"),
    ):
        client.force_login(person)
        html = client.get(url).content.decode()
        assert "49 days" in html and "Late" in html
    client.force_login(running.admin)
    assert client.get(f"/contracts/commissioning/{running.reference}/payments/1/").status_code == 404


def test_a_payment_recorded_through_its_page_keeps_what_was_typed_when_refused(client, running):
    client.force_login(running.commissioner_person)
    url = f"/contracts/commissioning/{running.reference}/payments/1/"
    response = client.post(url, {"invoice_received_on": "02/07/2026", "paid_on": "01/07/2026"})
    html = response.content.decode()
    assert response.status_code == 200 and "before its invoice was received" in html and 'value="02/07/2026"' in html
    assert client.post(url, {"invoice_received_on": "02/07/2026", "paid_on": "03/07/2026"}).status_code == 302
    assert Agreement.objects.get(pk=running.pk).payments.get(number=1).paid_on == date(2026, 7, 3)


@given(st.lists(st.integers(min_value=0, max_value=400), max_size=60))
def test_the_shares_of_payments_by_days_add_up_and_the_average_is_between_the_extremes(days):
    found = payments.timeliness(days)
    if not days:
        assert found.paid == 0 and found.average_days is None
        return
    assert abs(found.within_30 + found.within_31_60 + found.over_60 - 100) <= Decimal("0.3")
    assert min(days) - Decimal("0.05") <= found.average_days <= max(days) + Decimal("0.05")


def test_the_reporting_periods_end_on_the_last_days_of_march_and_september():
    assert payments.reporting_period(date(2026, 4, 1)) == (date(2026, 4, 1), date(2026, 9, 30))
    assert payments.reporting_period(date(2026, 12, 1)) == (date(2026, 10, 1), date(2027, 3, 31))
    assert payments.reporting_period(date(2027, 2, 28)) == (date(2026, 10, 1), date(2027, 3, 31))
