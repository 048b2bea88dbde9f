"""The confirmer's pages: explanations waiting for them, and confirming or declining one."""

import html

import pytest
from django.core import mail

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.practice.models import Explanation, RuleOutcome

from .conftest import body_of, write_explanation

pytestmark = pytest.mark.django_db

LIST = "/explanations/"


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_of(explanation) -> str:
    return f"/explanations/{explanation.pk}/"


@pytest.fixture
def waiting(thing, commissioner, colleague):
    return write_explanation(commissioner, thing, confirmer=colleague)


def test_the_confirmer_finds_the_explanation_waiting_and_confirms_it(
    client, waiting, thing, commissioner, colleague, django_capture_on_commit_callbacks
):
    client.force_login(colleague)
    listed = text(client.get(LIST))
    assert "Waiting for you (1)" in listed and str(thing) in listed and commissioner.full_name in listed
    shown = text(client.get(page_of(waiting)))
    assert waiting.reason in shown and "Confirm the explanation" in shown

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page_of(waiting), {"action": "confirm", "confirm-words": "Checked the tariff"})

    assert response.status_code == 302 and response["Location"] == LIST
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.decided_by == colleague
    assert waiting.decision_note == "Checked the tariff"
    assert RuleOutcome.objects.get(explanation=waiting).outcome == "explained"
    assert "There are no explanations waiting for you" in text(client.get(LIST))
    # Its page now says what happened, and offers nothing more.
    after = text(client.get(page_of(waiting)))
    assert "has been confirmed" in after and "Confirm the explanation" not in after
    assert [m.to for m in mail.outbox] == [[commissioner.email]]


def test_the_writer_cannot_open_or_confirm_their_own_explanation(client, waiting, commissioner):
    client.force_login(commissioner)
    assert "There are no explanations waiting for you" in text(client.get(LIST))
    assert client.get(page_of(waiting)).status_code == 404
    assert client.post(page_of(waiting), {"action": "confirm"}).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == "pending"


@pytest.mark.parametrize("who", ["another_colleague", "commissioner_elsewhere", "administrator"])
def test_someone_not_named_cannot_open_or_confirm_it(client, request, waiting, commissioner, who):
    someone = {
        "another_colleague": lambda: person_with_role(Role.COMMISSIONER, body_of(commissioner)),
        "commissioner_elsewhere": lambda: person_with_role(Role.COMMISSIONER),
        "administrator": lambda: request.getfixturevalue("administrator"),
    }[who]()
    client.force_login(someone)
    assert client.get(page_of(waiting)).status_code == 404
    assert client.post(page_of(waiting), {"action": "confirm"}).status_code == 404
    assert client.post(page_of(waiting), {"action": "decline", "decline-reason": "No"}).status_code == 404
    waiting.refresh_from_db()
    assert waiting.status == "pending"


@pytest.mark.parametrize("who", ["provider_admin", "evaluator", "partnership_reviewer"])
def test_people_who_cannot_confirm_do_not_get_the_pages(client, request, waiting, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 404
    assert client.get(page_of(waiting)).status_code == 404


def test_anonymous_visitors_are_asked_to_sign_in(client, waiting):
    assert client.get(LIST).status_code == 302
    response = client.post(page_of(waiting), {"action": "confirm"})
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    waiting.refresh_from_db()
    assert waiting.status == "pending"


def test_an_explanation_that_does_not_exist_is_not_found(client, colleague):
    client.force_login(colleague)
    assert client.get("/explanations/999999/").status_code == 404


def test_confirming_twice_says_it_is_already_confirmed_and_changes_nothing(client, waiting, colleague):
    client.force_login(colleague)
    client.post(page_of(waiting), {"action": "confirm"})

    again = client.post(page_of(waiting), {"action": "confirm"})

    assert again.status_code == 200
    page = text(again)
    assert "There is a problem" in page and "This explanation has already been confirmed" in page
    assert RuleOutcome.objects.filter(explanation=waiting).count() == 1
    assert AuditEvent.objects.filter(verb="rule.explanation_confirm").count() == 1


def test_declining_without_a_reason_names_the_field_and_changes_nothing(client, waiting, colleague):
    client.force_login(colleague)

    response = client.post(page_of(waiting), {"action": "decline", "decline-reason": "  "})

    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert '<a href="#id_decline-reason">Enter why you are declining the explanation</a>' in page
    assert 'id="id_decline-reason-error"' in page
    waiting.refresh_from_db()
    assert waiting.status == "pending"
    assert not AuditEvent.objects.filter(verb="rule.explanation_decline").exists()


def test_the_confirmer_declines_with_a_reason(
    client, waiting, commissioner, colleague, django_capture_on_commit_callbacks
):
    client.force_login(colleague)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page_of(waiting), {"action": "decline", "decline-reason": "The tariff is not fixed this year"}
        )

    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "declined" and waiting.decision_note == "The tariff is not fixed this year"
    assert not RuleOutcome.objects.exists()
    [told] = mail.outbox
    assert told.to == [commissioner.email] and "The tariff is not fixed this year" in told.body
    # Declined, it can no longer be confirmed.
    refused = text(client.post(page_of(waiting), {"action": "confirm"}))
    assert "This explanation has already been declined" in refused


def test_an_explanation_recorded_before_confirmation_waits_for_an_administrator(
    client, thing, commissioner, administrator
):
    from commissioning.core import clock
    from commissioning.practice.models import Rule

    legacy = Explanation.objects.create(
        rule=Rule.objects.get(code="PR-5"),
        object_type="accounts.organisation",
        object_id=str(thing.pk),
        reason="Tariff",
        written_by=commissioner,
        written_at=clock.now(),
        recorded_agreed_by="Head of commissioning",
    )
    colleague = person_with_role(Role.COMMISSIONER, body_of(commissioner))
    client.force_login(colleague)
    assert client.get(page_of(legacy)).status_code == 404
    client.force_login(administrator)
    page = text(client.get(page_of(legacy)))
    assert "Head of commissioning" in page and "typed in before explanations were confirmed" in page
    client.post(page_of(legacy), {"action": "confirm"})
    legacy.refresh_from_db()
    assert legacy.status == "confirmed" and legacy.decided_by == administrator
