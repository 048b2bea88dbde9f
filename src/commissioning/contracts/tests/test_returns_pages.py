"""The return's pages: the provider's task list, sections saved as typed, check and submit; the review."""

import pytest
from django.urls import reverse

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role

from .. import returns
from ..models import MonitoringReturn, ReturnStatus
from .test_returns import accepted, complete

pytestmark = pytest.mark.django_db


def url(name, agreement, *rest):
    return reverse(f"contracts:{name}", args=[agreement.reference, *rest])


def page(client, user, address, status=200):
    client.force_login(user)
    response = client.get(address)
    assert response.status_code == status
    return response.content.decode() if status == 200 else response


@pytest.fixture
def agreement():
    return accepted()


def test_a_section_keeps_what_was_typed_and_the_check_page_says_what_to_correct(client, agreement):
    client.force_login(agreement.admin)
    answer = client.post(url("provider-return-section", agreement, 1, "people"), {"people_reached": "twelve"})
    assert answer.status_code == 302 and answer["Location"] == url("provider-return", agreement, 1)
    kept = MonitoringReturn.objects.get(agreement=agreement, number=1)
    assert kept.draft["people_reached"] == "twelve" and kept.status == ReturnStatus.DRAFT
    assert 'value="twelve"' in page(client, agreement.admin, url("provider-return-section", agreement, 1, "people"))
    check = page(client, agreement.admin, url("provider-return-check", agreement, 1))
    assert "whole number" in check and "/people/#id_people_reached" in check
    refused = client.post(url("provider-return-check", agreement, 1))
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    assert MonitoringReturn.objects.get(agreement=agreement, number=1).status == ReturnStatus.DRAFT


def test_a_whole_return_is_submitted_from_the_check_page_once(client, agreement):
    returns.return_save(
        actor=agreement.admin, monitoring_return=agreement.returns.get(number=1), data=complete(agreement)
    )
    client.force_login(agreement.admin)
    answer = client.post(url("provider-return-check", agreement, 1))
    assert answer.status_code == 302
    submitted = MonitoringReturn.objects.get(agreement=agreement, number=1)
    assert submitted.status == ReturnStatus.SUBMITTED
    again = client.post(url("provider-return-check", agreement, 1))
    assert again.status_code == 302 and MonitoringReturn.objects.get(pk=submitted.pk).digest == submitted.digest
    assert "submitted" in page(client, agreement.admin, url("provider-return", agreement, 1)).lower()


def test_the_commissioner_reads_the_figures_with_charts_and_tables_and_accepts(client, agreement):
    r = agreement.returns.get(number=1)
    returns.return_submit(actor=agreement.admin, monitoring_return=r, data=complete(agreement, people=3))
    review = page(client, agreement.commissioner_person, url("return-review", agreement, 1))
    assert 'role="img"' in review and "<table" in review and "<title" in review
    # The agreement's own commissioner sees the true count, not the suppressed one.
    assert "fewer than" not in review
    refused = client.post(url("return-review", agreement, 1), {"outcome": "queried", "note": ""})
    assert refused.status_code == 200 and "Say what you want to ask" in refused.content.decode()
    accepted_ = client.post(url("return-review", agreement, 1), {"outcome": "accepted", "note": ""})
    assert accepted_.status_code == 302
    assert MonitoringReturn.objects.get(pk=r.pk).status == ReturnStatus.ACCEPTED
    assert "Accepted" in page(client, agreement.commissioner_person, url("agreement-returns", agreement))


def test_everyone_else_gets_404(client, agreement):
    stranger = person_with_role(Role.PROVIDER_ADMIN)
    for name, args in (("provider-returns", ()), ("provider-return", (1,)), ("provider-return-check", (1,))):
        page(client, stranger, url(name, agreement, *args), status=404)
        page(client, agreement.commissioner_person, url(name, agreement, *args), status=404)
    client.force_login(stranger)
    assert client.post(url("provider-return-section", agreement, 1, "story"), {"narrative": "x"}).status_code == 404
    page(client, agreement.admin, url("return-review", agreement, 1), status=404)
    page(client, agreement.admin, url("agreement-returns", agreement), status=404)
    page(client, person_with_role(Role.COMMISSIONER), url("agreement-returns", agreement), status=404)


def test_the_lists_read_a_bounded_number_of_queries(client, agreement, django_assert_max_num_queries):
    for user, name in ((agreement.admin, "provider-returns"), (agreement.commissioner_person, "agreement-returns")):
        client.force_login(user)
        with django_assert_max_num_queries(20):
            assert client.get(url(name, agreement)).status_code == 200
