"""Monitoring returns (CM-4): saved as typed, checked when submitted, submitted once, reviewed with history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core.geography import leeds_wards

from .. import returns, services
from ..models import MonitoringReturn, ReturnStatus
from ..suppression import suppressed
from .factories import direct_agreement, provider_member

pytestmark = pytest.mark.django_db


def accepted(**fields):
    agreement = direct_agreement(**fields)
    commissioner, admin = agreement.commissioner_person, agreement.admin
    services.measure_save(actor=commissioner, agreement=agreement, name="People helped", target=100)
    issued = services.agreement_issue(actor=commissioner, agreement=agreement)
    done = services.agreement_accept(
        actor=admin, agreement=issued, name="Sam", role="Director", digest=issued.document_digest
    )
    done.admin, done.commissioner_person = admin, commissioner
    return done


def complete(agreement, people=10) -> dict:
    """A whole return that adds up: ``people`` reached, all in the first ward and first category of each."""
    data = {
        "measure_1_actual": "120",
        "narrative": "We ran twelve sessions in Armley.",
        "spend_budget": "7,500",
        "spend_actual": "7,200.50",
        "people_reached": str(people),
        f"ward_{leeds_wards()[0].code}": str(people),
    }
    for name, cats in returns.categories().items():
        data[f"{name}__{cats[0].key}"] = str(people)
    return data


def first_return(agreement) -> MonitoringReturn:
    return agreement.returns.order_by("number").first()


def test_a_return_is_saved_as_typed_even_when_it_could_not_be_submitted():
    agreement = accepted()
    r = first_return(agreement)
    saved = returns.return_save(
        actor=agreement.admin, monitoring_return=r, data={"people_reached": "twelve", "bogus": "x"}
    )
    assert saved.status == ReturnStatus.DRAFT and saved.draft == {"people_reached": "twelve"}
    with pytest.raises(returns.ReturnError) as refused:
        returns.return_submit(actor=agreement.admin, monitoring_return=saved)
    assert "people_reached" in refused.value.errors and "narrative" in refused.value.errors
    assert MonitoringReturn.objects.get(pk=r.pk).draft["people_reached"] == "twelve"


def test_a_complete_return_is_submitted_once_with_its_digest():
    agreement = accepted()
    r = first_return(agreement)
    submitted = returns.return_submit(actor=agreement.admin, monitoring_return=r, data=complete(agreement))
    assert submitted.status == ReturnStatus.SUBMITTED and len(submitted.digest) == 64
    assert submitted.people_reached == 10 and submitted.spend == {"budget": "7500.00", "actual": "7200.50", "note": ""}
    assert submitted.breakdowns["ward"] == {leeds_wards()[0].code: 10}
    assert submitted.measures[0]["actual"] == "120"
    with pytest.raises(returns.ReturnError, match="already been submitted"):
        returns.return_submit(actor=agreement.admin, monitoring_return=r, data=complete(agreement))
    assert MonitoringReturn.objects.get(pk=r.pk).digest == submitted.digest


@pytest.mark.parametrize("bad", ["-3", "1.5", "ten", "1e4", "12345678901"])
def test_counts_are_whole_numbers_of_people_zero_or_more(bad):
    agreement = accepted()
    data = complete(agreement) | {f"ward_{leeds_wards()[1].code}": bad}
    with pytest.raises(returns.ReturnError) as refused:
        returns.return_submit(actor=agreement.admin, monitoring_return=first_return(agreement), data=data)
    assert f"ward_{leeds_wards()[1].code}" in refused.value.errors


def test_breakdowns_that_do_not_add_up_are_refused_unless_explained():
    agreement = accepted()
    r = first_return(agreement)
    data = complete(agreement) | {"people_reached": "12"}
    with pytest.raises(returns.ReturnError) as refused:
        returns.return_submit(actor=agreement.admin, monitoring_return=r, data=data)
    assert "do not add up" in refused.value.errors["mismatch_explanation"][0]
    explained = data | {"mismatch_explanation": "Two people came to one session and gave no details"}
    submitted = returns.return_submit(actor=agreement.admin, monitoring_return=r, data=explained)
    assert submitted.status == ReturnStatus.SUBMITTED and submitted.mismatch_explanation


def test_spend_is_asked_only_where_the_tier_asks_for_it():
    agreement = accepted(value=Decimal("12000.00"))  # not over the spend setting
    assert not agreement.spend_reported and "spend" not in returns.fields_for(agreement)
    data = {k: v for k, v in complete(agreement).items() if not k.startswith("spend_")}
    assert (
        returns.return_submit(actor=agreement.admin, monitoring_return=first_return(agreement), data=data).spend == {}
    )


def test_only_the_providers_people_prepare_a_return_and_only_its_commissioners_review_it():
    agreement = accepted()
    r = first_return(agreement)
    for stranger in (person_with_role(Role.PROVIDER_ADMIN), agreement.commissioner_person):
        with pytest.raises(PermissionDenied):
            returns.return_save(actor=stranger, monitoring_return=r, data={"narrative": "Not mine"})
    member = provider_member(agreement)
    submitted = returns.return_submit(actor=member, monitoring_return=r, data=complete(agreement))
    for stranger in (member, person_with_role(Role.COMMISSIONER)):
        with pytest.raises(PermissionDenied):
            returns.return_review(actor=stranger, monitoring_return=submitted, outcome="accepted")


def test_a_query_goes_back_to_the_provider_who_submits_again_and_the_history_keeps_both():
    agreement = accepted()
    r = returns.return_submit(
        actor=agreement.admin, monitoring_return=first_return(agreement), data=complete(agreement)
    )
    with pytest.raises(returns.ReturnError, match="Say what you want to ask"):
        returns.return_review(actor=agreement.commissioner_person, monitoring_return=r, outcome="queried")
    returns.return_review(
        actor=agreement.commissioner_person,
        monitoring_return=r,
        outcome="queried",
        note="Which wards were the sessions in?",
    )
    r.refresh_from_db()
    assert r.status == ReturnStatus.QUERIED
    again = returns.return_submit(
        actor=agreement.admin, monitoring_return=r, data={"narrative": "Twelve sessions, all in Adel and Wharfedale."}
    )
    assert again.status == ReturnStatus.SUBMITTED and again.digest != r.digest
    returns.return_review(actor=agreement.commissioner_person, monitoring_return=again, outcome="accepted")
    with pytest.raises(returns.ReturnError):
        returns.return_review(actor=agreement.commissioner_person, monitoring_return=again, outcome="accepted")
    assert [review.outcome for review in again.reviews.all()] == ["queried", "accepted"]


def test_a_return_on_an_agreement_not_yet_accepted_does_not_exist():
    agreement = direct_agreement(issue=True)
    assert not agreement.returns.exists()


@given(st.integers(min_value=0, max_value=10**7), st.integers(min_value=1, max_value=20))
def test_small_counts_are_suppressed_and_the_rest_shown(count, below):
    shown = suppressed(count, below)
    if 0 < count < below:
        assert shown == f"fewer than {below}"
    else:
        assert shown == f"{count:,}"
