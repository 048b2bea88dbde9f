"""Explaining a rule on "Check against the Code": the confirmer named, and what each page shows."""

import html

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.opportunities import services
from commissioning.opportunities.models import Status
from commissioning.practice.models import Explanation
from commissioning.practice.services import RuleGateClosed, explanation_confirm, explanation_decline

from .factories import colleague_of, commissioner_at, draft, explain_pending, published

pytestmark = pytest.mark.django_db

REASON = "The NHS standard contract carries the Compact clause"


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def setting():
    commissioner = commissioner_at()
    return commissioner, colleague_of(commissioner), draft(commissioner, compact_clause_in_terms=False)


def check_of(opportunity) -> str:
    return f"/commissioning/opportunities/{opportunity.reference}/check/"


def explain_through_the_page(client, opportunity, **fields):
    return client.post(check_of(opportunity), {"action": "explain", "rule": "PR-11", "reason": REASON, **fields})


def test_the_form_offers_the_bodys_other_commissioners_and_the_administrators_only(client, setting):
    commissioner, colleague, opportunity = setting
    administrator = person_with_role(Role.ADMINISTRATOR)
    elsewhere = person_with_role(Role.COMMISSIONER)
    client.force_login(commissioner)

    page = text(client.get(check_of(opportunity) + "?explain=PR-11"))

    assert f'value="{colleague.pk}"' in page and f'value="{administrator.pk}"' in page
    assert f'value="{commissioner.pk}"' not in page and f'value="{elsewhere.pk}"' not in page
    assert "Who will confirm it" in page


@pytest.mark.parametrize("who", ["themselves", "elsewhere", "provider", "nobody", "not_a_number"])
def test_a_confirmer_who_may_not_confirm_is_refused_on_the_field(client, setting, who):
    commissioner, _, opportunity = setting
    confirmer = {
        "themselves": lambda: commissioner.pk,
        "elsewhere": lambda: person_with_role(Role.COMMISSIONER).pk,
        "provider": lambda: person_with_role(Role.PROVIDER_ADMIN).pk,
        "nobody": lambda: "",
        "not_a_number": lambda: "1e4",
    }[who]()
    client.force_login(commissioner)

    response = explain_through_the_page(client, opportunity, confirmer=confirmer)

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page and 'href="#id_confirmer"' in page
    assert not Explanation.objects.exists()


@pytest.mark.parametrize("rule", ["PR-5", "XX-99", "", "PR-11\x00"])
def test_only_an_unmet_rule_of_publishing_can_be_explained(client, setting, rule):
    commissioner, colleague, opportunity = setting
    client.force_login(commissioner)

    response = client.post(
        check_of(opportunity), {"action": "explain", "rule": rule, "reason": REASON, "confirmer": colleague.pk}
    )

    assert response.status_code in (200, 400)
    assert not Explanation.objects.exists()


def test_a_published_opportunity_takes_no_more_explanations(client):
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    with pytest.raises(services.OpportunityError):
        services.opportunity_rule_explain(
            actor=commissioner,
            opportunity=opportunity,
            rule_code="PR-11",
            reason=REASON,
            confirmer=colleague_of(commissioner),
        )


def test_someone_who_does_not_commission_it_cannot_explain(setting):
    _, colleague, opportunity = setting
    with pytest.raises(PermissionDenied):
        services.opportunity_rule_explain(
            actor=person_with_role(Role.COMMISSIONER),
            opportunity=opportunity,
            rule_code="PR-11",
            reason=REASON,
            confirmer=colleague,
        )


def test_the_confirmer_is_emailed_a_link_and_the_page_shows_who_it_waits_for(
    client, setting, django_capture_on_commit_callbacks
):
    commissioner, colleague, opportunity = setting
    client.force_login(commissioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = explain_through_the_page(client, opportunity, confirmer=colleague.pk)
    assert response.status_code == 302
    explanation = Explanation.objects.get()
    [task] = mail.outbox
    assert task.to == [colleague.email] and f"/explanations/{explanation.pk}/" in task.body
    page = text(client.get(check_of(opportunity)))
    assert "Waiting for confirmation" in page and f"Waiting for {colleague.full_name} to confirm it" in page
    assert "Write the explanation again" in page


def test_a_declined_explanation_shows_the_reason_and_can_be_written_again(client, setting):
    commissioner, colleague, opportunity = setting
    explanation = explain_pending(commissioner, opportunity, "PR-11", confirmer=colleague)
    explanation_decline(actor=colleague, explanation=explanation, reason="Our terms do not carry it yet")
    client.force_login(commissioner)

    page = text(client.get(check_of(opportunity)))

    assert f"Explanation declined by {colleague.full_name}" in page and "Our terms do not carry it yet" in page
    assert "Not met" in page and "Write the explanation again" in page
    explain_through_the_page(client, opportunity, confirmer=colleague.pk)
    assert Explanation.objects.filter(status="pending").count() == 1


def test_the_public_page_shows_only_confirmed_explanations_as_explained(client, setting):
    commissioner, colleague, opportunity = setting
    explanation = explain_pending(commissioner, opportunity, "PR-11", REASON, confirmer=colleague)
    with pytest.raises(RuleGateClosed):
        services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == Status.DRAFT
    explanation_confirm(actor=colleague, explanation=explanation, words="Clause 12 of the terms")
    services.opportunity_publish(actor=commissioner, opportunity=opportunity)

    page = text(client.get(f"/opportunities/{opportunity.reference}/"))

    assert REASON in page and f"confirmed by {colleague.full_name}, commissioner" in page


def test_the_public_page_says_when_an_explanation_waits_for_confirmation(client):
    from commissioning.practice.models import Rule

    commissioner = commissioner_at()
    opportunity = published(commissioner)
    # As the migration leaves an explanation recorded before confirmation was required.
    Explanation.objects.create(
        rule=Rule.objects.get(code="PL-3"),
        object_type="opportunities.opportunity",
        object_id=str(opportunity.pk),
        reason="Typed in, never confirmed",
        written_by=commissioner,
        written_at=opportunity.published_at,
        recorded_agreed_by="Head of commissioning",
    )

    page = text(client.get(f"/opportunities/{opportunity.reference}/"))

    assert "Waiting for confirmation" in page
    assert "Typed in, never confirmed" not in page and "Head of commissioning" not in page


def test_the_confirmers_dashboard_links_to_what_waits_for_them(client, setting):
    commissioner, colleague, opportunity = setting
    explain_pending(commissioner, opportunity, "PR-11", confirmer=colleague)

    client.force_login(colleague)
    assert "1 explanation is waiting for you to confirm" in text(client.get("/commissioning/"))
    client.force_login(commissioner)
    assert "waiting for you to confirm" not in text(client.get("/commissioning/"))
