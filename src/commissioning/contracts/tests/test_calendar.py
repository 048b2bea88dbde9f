"""One reporting and payment calendar for a provider with agreements from several commissioners (CM-3)."""

import re
from datetime import date, datetime

import pytest
import time_machine
from icalendar import Calendar

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.opportunities.tests.factories import commissioner_at

from .. import payments
from .factories import direct_agreement, provider_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_funders():
    council = direct_agreement(accept_as=True, title="Carers' support in Armley")
    icb = direct_agreement(
        commissioner_at(),
        council.provider,
        accept_as=council.admin,
        title="Digital inclusion",
        coordination_note="Shared",
    )
    icb.admin = council.admin
    return council, icb


def test_the_calendar_shows_every_agreements_returns_and_payments_from_both_commissioners(client, two_funders):
    council, icb = two_funders
    client.force_login(provider_member(council))
    html = client.get("/contracts/yours/calendar/").content.decode()
    assert council.commissioner.name in html and icb.commissioner.name in html
    assert "Return 1 due" in html and "Payment 1 of" in html


def test_an_administrator_makes_a_secret_address_whose_feed_lists_the_same_dates(client, two_funders):
    council, icb = two_funders
    client.force_login(council.admin)
    html = client.post("/contracts/yours/calendar/", {"organisation": council.provider.pk}).content.decode()
    address = html.split("/contracts/calendar/")[1].split(".ics")[0]
    feed = client.get(f"/contracts/calendar/{address}.ics")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(feed.content).walk("VEVENT")]
    expected = council.returns.count() + council.payments.count() + icb.returns.count() + icb.payments.count()
    assert len(events) == expected
    # A new address stops the old one working.
    client.post("/contracts/yours/calendar/", {"organisation": council.provider.pk})
    assert client.get(f"/contracts/calendar/{address}.ics").status_code == 404


def test_only_the_providers_administrators_make_its_address_and_a_wrong_one_is_404(client, two_funders):
    council, _ = two_funders
    client.force_login(provider_member(council))
    assert client.post("/contracts/yours/calendar/", {"organisation": council.provider.pk}).status_code == 404
    client.force_login(person_with_role(Role.PROVIDER_ADMIN))
    assert client.post("/contracts/yours/calendar/", {"organisation": council.provider.pk}).status_code == 404
    assert client.get("/contracts/calendar/made-up-address.ics").status_code == 404


def test_the_calendar_reads_the_same_few_queries_however_many_agreements(client, django_assert_max_num_queries):
    first = direct_agreement(accept_as=True)
    client.force_login(first.admin)
    with django_assert_max_num_queries(10) as few:
        client.get("/contracts/yours/calendar/")
    for number in range(4):
        direct_agreement(
            provider=first.provider, accept_as=first.admin, title=f"Service {number}", coordination_note="One return"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/contracts/yours/calendar/")


def test_funders_of_the_same_provider_see_each_others_monitoring_with_small_counts_suppressed(client, two_funders):
    from .. import returns
    from .test_returns import complete

    council, icb = two_funders
    r = icb.returns.order_by("number").first()
    r = returns.return_submit(actor=icb.admin, monitoring_return=r, data=complete(icb, people=3))
    returns.return_review(actor=icb.commissioner_person, monitoring_return=r, outcome="accepted")
    url = f"/contracts/commissioning/providers/{council.provider.slug}/"
    client.force_login(council.commissioner_person)
    html = client.get(url).content.decode()
    assert icb.title in html and "fewer than 5" in html and "1 accepted" in html
    client.force_login(icb.commissioner_person)
    assert "fewer than 5" not in client.get(url).content.decode()  # its own agreement: the count as it is
    client.force_login(person_with_role(Role.COMMISSIONER))
    assert client.get(url).status_code == 404


def test_the_page_shows_what_is_still_to_do_and_the_next_twelve_months_and_everything_on_request(client):

    with time_machine.travel(date(2024, 3, 1), tick=False):
        agreement = direct_agreement(accept_as=True, starts_on=date(2024, 4, 1), months=48)
    first = agreement.payments.order_by("number").first()
    with time_machine.travel(first.due_on, tick=False):
        payments.payment_record(
            actor=agreement.commissioner_person, payment=first, invoice_received_on=first.due_on, paid_on=first.due_on
        )
    client.force_login(agreement.admin)
    with time_machine.travel(date(2026, 12, 3), tick=False):
        html = client.get("/contracts/yours/calendar/").content.decode()
        everything = client.get("/contracts/yours/calendar/?show=all").content.decode()
    assert f"Payment {first.number} of" not in html  # paid long ago: done
    assert f"Payment {first.number} of" in everything
    assert "Return 1 due" in html  # never sent: still to do
    shown, every = _months(html), _months(everything)
    assert max(shown) <= date(2027, 11, 1) and max(every) > date(2027, 11, 1)
    assert any(date(2026, 12, 1) <= month <= date(2027, 11, 1) for month in shown)
    assert "Show everything (" in html and len(every) > len(shown)


def _months(html: str) -> list:
    captions = re.findall(r'govuk-table__caption--m">\s*([A-Z][a-z]+ \d{4})', html)
    return [datetime.strptime(c, "%B %Y").date() for c in captions]
