"""Paying on time: a body's payments compliance figures per six-month period, and disputed invoices."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.opportunities.tests.factories import commissioner_at

from .. import compliance, payments
from ..models import Agreement, Payment
from .factories import direct_agreement

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)
SUMMER = compliance.Period(date(2026, 4, 1), date(2026, 9, 30))


@pytest.fixture
def running():
    with time_machine.travel(date(2026, 3, 1), tick=False):
        agreement = direct_agreement(accept_as=True, starts_on=date(2026, 4, 1), value=Decimal("40000.00"))
    travel = time_machine.travel(TODAY, tick=False)
    travel.start()
    yield agreement
    travel.stop()


def instalments(agreement) -> list[Payment]:
    return list(agreement.payments.order_by("number"))


def record(agreement, payment, received, paid=None):
    return payments.payment_record(
        actor=agreement.commissioner_person, payment=payment, invoice_received_on=received, paid_on=paid
    )


def of(agreement):
    return Agreement.objects.filter(pk=agreement.pk)


def test_the_periods_run_april_to_september_and_october_to_march_newest_first():
    found = compliance.periods(date(2026, 11, 30), count=3)
    assert [(p.start, p.end) for p in found] == [
        (date(2026, 10, 1), date(2027, 3, 31)),
        (date(2026, 4, 1), date(2026, 9, 30)),
        (date(2025, 10, 1), date(2026, 3, 31)),
    ]
    assert found[1].publish_by == date(2026, 10, 30)


def test_the_figures_band_the_days_and_count_what_fell_due_and_was_not_paid(running):
    one, two, three, *_ = instalments(running)
    record(running, one, date(2026, 3, 20), date(2026, 4, 10))  # received before the period, paid in it: 21 days
    record(running, two, date(2026, 7, 1), date(2026, 8, 15))  # 45 days
    record(running, three, date(2026, 9, 1))  # due by 1 October: falls in the next period, unpaid
    figures = compliance.compliance_for(of(running), SUMMER)
    assert figures.timeliness.paid == 2 and figures.timeliness.average_days == Decimal("33.0")
    assert figures.timeliness.within_30 == Decimal("50.0") and figures.timeliness.within_31_60 == Decimal("50.0")
    assert figures.due_in_period == one.amount + two.amount and figures.due_not_paid == 0
    assert figures.not_paid_share == Decimal("0.0")
    winter = compliance.compliance_for(of(running), compliance.periods(TODAY)[0])
    assert winter.due_not_paid == three.amount and winter.timeliness.paid == 0
    assert [line.band for line in winter.lines] == ["Not paid in the period"]


def test_an_invoice_due_in_the_period_and_paid_after_it_counts_as_not_paid_in_it(running):
    one, two, *_ = instalments(running)
    record(running, one, date(2026, 8, 1), date(2026, 10, 20))  # due by 31 August, paid in October
    record(running, two, date(2026, 8, 1), date(2026, 8, 20))
    figures = compliance.compliance_for(of(running), SUMMER)
    assert figures.due_not_paid == one.amount and figures.due_in_period == one.amount + two.amount
    assert figures.not_paid_share == Decimal("50.0")
    later = compliance.compliance_for(of(running), compliance.periods(TODAY)[0])
    assert later.timeliness.paid == 1 and later.timeliness.over_60 == Decimal("100.0")  # 80 days


def test_a_disputed_invoice_is_left_out_and_a_settled_one_counts_from_the_valid_invoice(running):
    one, *_ = instalments(running)
    record(running, one, date(2026, 6, 1))
    payments.payment_dispute(actor=running.commissioner_person, payment=one, reason="The hours claimed are wrong")
    one.refresh_from_db()
    assert payments.standing(one, TODAY).late_now is False
    assert compliance.compliance_for(of(running), SUMMER).disputed == 1
    assert compliance.compliance_for(of(running), SUMMER).due_in_period == 0
    payments.payment_dispute_settle(
        actor=running.commissioner_person, payment=one, valid_invoice_received_on=date(2026, 9, 1)
    )
    record(running, Payment.objects.get(pk=one.pk), date(2026, 9, 1), date(2026, 9, 21))
    figures = compliance.compliance_for(of(running), SUMMER)
    assert figures.disputed == 0 and figures.timeliness.paid == 1 and figures.timeliness.average_days == 20


def test_disputing_tells_the_provider_why_and_is_refused_when_it_cannot_be(running, django_capture_on_commit_callbacks):
    one, two, three, *_ = instalments(running)
    person = running.commissioner_person
    with pytest.raises(payments.PaymentError, match="Record the invoice"):
        payments.payment_dispute(actor=person, payment=one, reason="Wrong")
    record(running, one, date(2026, 6, 1))
    with pytest.raises(payments.PaymentError, match="Say why"):
        payments.payment_dispute(actor=person, payment=one, reason="   ")
    with pytest.raises(PermissionDenied):
        payments.payment_dispute(actor=commissioner_at(), payment=one, reason="Wrong")
    with pytest.raises(PermissionDenied):
        payments.payment_dispute(actor=running.admin, payment=one, reason="Wrong")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        payments.payment_dispute(actor=person, payment=one, reason="The hours claimed are wrong")
    assert any("The hours claimed are wrong" in m.body for m in mail.outbox)
    with pytest.raises(payments.PaymentError, match="already disputed"):
        payments.payment_dispute(actor=person, payment=one, reason="Again")
    record(running, two, date(2026, 6, 1), date(2026, 6, 20))
    with pytest.raises(payments.PaymentError, match="is paid"):
        payments.payment_dispute(actor=person, payment=two, reason="Late thoughts")
    with pytest.raises(payments.PaymentError, match="not disputed"):
        payments.payment_dispute_settle(actor=person, payment=three, valid_invoice_received_on=date(2026, 7, 1))
    for day, message in [(date(2026, 5, 1), "before the disputed"), (date(2026, 12, 25), "future"), (None, "Enter")]:
        with pytest.raises(payments.PaymentError, match=message):
            payments.payment_dispute_settle(actor=person, payment=one, valid_invoice_received_on=day)


def test_the_page_shows_the_commissioners_own_body_and_its_invoices_as_csv(client, running):
    one, *_ = instalments(running)
    record(running, one, date(2026, 7, 1), date(2026, 7, 21))
    elsewhere = direct_agreement(accept_as=True, starts_on=date(2026, 4, 1))
    record(elsewhere, instalments(elsewhere)[0], date(2026, 7, 1), date(2026, 9, 29))
    client.force_login(running.commissioner_person)
    html = client.get(f"/contracts/commissioning/payments/?period={SUMMER.key}").content.decode()
    assert running.reference in html and elsewhere.reference not in html
    assert "Average days to pay" in html and "20.0 days" in html
    other_body = elsewhere.commissioner.slug
    html = client.get(f"/contracts/commissioning/payments/?body={other_body}&period={SUMMER.key}").content.decode()
    assert elsewhere.reference not in html  # another body's figures are not for this commissioner
    response = client.get(f"/contracts/commissioning/payments/invoices.csv?period={SUMMER.key}")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "Agreement" and [r[0] for r in rows[1:]] == [running.reference]
    assert rows[1][8] == "20" and rows[1][9] == "1 to 30 days"


def test_an_administrator_chooses_any_body_and_a_provider_gets_404(client, running):
    one, *_ = instalments(running)
    record(running, one, date(2026, 7, 1), date(2026, 7, 21))
    client.force_login(person_with_role(Role.ADMINISTRATOR))
    body = running.commissioner.slug
    html = client.get(f"/contracts/commissioning/payments/?body={body}&period={SUMMER.key}").content.decode()
    assert running.reference in html
    client.force_login(running.admin)
    assert client.get("/contracts/commissioning/payments/").status_code == 404
    assert client.get("/contracts/commissioning/payments/invoices.csv").status_code == 404


def test_the_payment_page_disputes_an_invoice_with_its_reason_and_refuses_an_empty_one(client, running):
    one, *_ = instalments(running)
    record(running, one, date(2026, 10, 1))
    client.force_login(running.commissioner_person)
    url = f"/contracts/commissioning/{running.reference}/payments/{one.number}/"
    refused = client.post(url, {"action": "dispute", "reason": ""})
    assert refused.status_code == 200 and "Say why the invoice or claim is disputed" in refused.content.decode()
    assert not Payment.objects.get(pk=one.pk).disputed
    done = client.post(url, {"action": "dispute", "reason": "The claim has no evidence"})
    assert done.status_code == 302 and Payment.objects.get(pk=one.pk).disputed
    listed = client.get(f"/contracts/commissioning/{running.reference}/payments/").content.decode()
    assert "Invoice disputed" in listed and "The claim has no evidence" in listed
    settled = client.post(url, {"action": "settle", "valid_invoice_received_on": "15/10/2026"})
    assert settled.status_code == 302
    assert Payment.objects.get(pk=one.pk).invoice_received_on == date(2026, 10, 15)
