"""Saving evidence that has already run out: kept, but never announced as plain success."""

from datetime import timedelta

import pytest

from commissioning.accounts import services as account_services
from commissioning.core import clock
from commissioning.core.formats import format_date
from commissioning.evidence.demo import pdf_upload
from commissioning.evidence.models import EvidenceItem
from commissioning.evidence.specs import saved_message

from .factories import keeper, record

pytestmark = pytest.mark.django_db


def post_insurance(client, admin, organisation, expiry):
    client.force_login(admin)
    return client.post(
        f"/evidence/insurance_employers/?organisation={organisation.slug}",
        {
            "insurer": "Zurich Municipal",
            "cover": "10,000,000",
            "policy_number": "EL-9",
            "expiry": expiry.strftime("%d/%m/%Y"),
            "file": pdf_upload("certificate.pdf", "certificate"),
            "action": "save",
        },
    )


def test_an_expired_certificate_is_saved_with_a_warning_that_it_cannot_be_confirmed_in_a_bid(client):
    admin, organisation = keeper()
    expiry = clock.today() - timedelta(days=20)
    response = post_insurance(client, admin, organisation, expiry)
    assert response.status_code == 302
    assert EvidenceItem.objects.get().valid_until == expiry
    html = client.get(response.url).content.decode()
    assert "Your employer&#39;s liability insurance has been saved." in html
    assert f"expired on {format_date(expiry)}: add the current certificate" in html
    assert "Until you do, it cannot be confirmed in a bid or application." in html
    assert "govuk-notification-banner--success" not in html
    item_page = client.get(f"/evidence/insurance_employers/?organisation={organisation.slug}").content.decode()
    assert "cannot be confirmed in a bid or application" in item_page


def test_a_current_certificate_is_saved_as_plain_success(client):
    admin, organisation = keeper()
    response = post_insurance(client, admin, organisation, clock.today())  # current on its last day
    html = client.get(response.url).content.decode()
    assert "govuk-notification-banner--success" in html
    assert "cannot be confirmed" not in html


def test_the_saved_message_warns_only_for_a_date_already_past():
    today = clock.today()
    assert saved_message("insurance_public", today - timedelta(days=1), today)[1] is True
    assert saved_message("insurance_public", today, today) == ("Your public liability insurance has been saved", False)
    assert saved_message("address", None, today)[1] is False
    plural, warning = saved_message("accounts", today - timedelta(days=400), today)
    assert warning and "Until you do, they cannot be confirmed" in plural


def test_the_api_says_an_expired_item_cannot_be_confirmed(client):
    admin, organisation = keeper()
    record(admin, organisation, "insurance_employers", valid_until=clock.today() - timedelta(days=3))
    record(admin, organisation, "insurance_public")
    _, secret = account_services.api_token_create(actor=admin, name="expired")
    body = client.get("/api/v1/evidence", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    by_item = {entry["item"]: entry for entry in body["items"]}
    expired, current = by_item["insurance_employers"], by_item["insurance_public"]
    assert expired["state"] == "expired" and expired["confirmable"] is False
    assert expired["message"].endswith("Until you do, it cannot be confirmed in a bid or application")
    assert current["confirmable"] is True and "current until" in current["message"]
