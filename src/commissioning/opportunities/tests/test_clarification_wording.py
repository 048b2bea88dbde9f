"""A clarification question published in the commissioner's wording, the asker's own words kept and told."""

import html

import pytest
from django.core import mail

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.opportunities import services
from commissioning.opportunities.models import Clarification

from .factories import colleague_of, commissioner_at, published

pytestmark = pytest.mark.django_db

ORIGINAL = "We are Armley Young Carers and run the Tuesday group at Armley library: can we keep it going?"
REWORDED = "Can a group that already runs activities for young carers keep running them if it bids?"
ANSWER = "Yes. Existing activities may carry on."


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def asked():
    commissioner = commissioner_at()
    opportunity = published(commissioner)
    asker = person_with_role(Role.PROVIDER_MEMBER)
    clarification = services.clarification_ask(
        actor=asker, organisation=asker.memberships.get().organisation, opportunity=opportunity, question=ORIGINAL
    )
    return commissioner, asker, clarification


def answer_page(clarification) -> str:
    return f"/commissioning/opportunities/{clarification.opportunity.reference}/clarifications/"


def test_the_commissioner_publishes_the_question_in_other_words_and_the_original_is_kept(
    asked, django_capture_on_commit_callbacks
):
    commissioner, asker, clarification = asked

    with django_capture_on_commit_callbacks(execute=True):
        answered = services.clarification_answer(
            actor=commissioner, clarification=clarification, answer=ANSWER, published_question=f"  {REWORDED} "
        )

    answered.refresh_from_db()
    assert answered.question == ORIGINAL and answered.published_question == REWORDED
    assert answered.wording_edited
    event = AuditEvent.objects.get(verb="opportunity.clarification_reword")
    assert event.actor == commissioner
    assert event.before == {"question": ORIGINAL} and event.after == {"published_question": REWORDED}
    [told] = [m for m in mail.outbox if m.to == [asker.email] and "edited" in m.subject]
    assert ORIGINAL in told.body and REWORDED in told.body and "/account/questions/" in told.body


def test_without_new_wording_the_question_is_published_word_for_word_and_nobody_is_told(
    asked, django_capture_on_commit_callbacks
):
    commissioner, asker, clarification = asked
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.clarification_answer(actor=commissioner, clarification=clarification, answer=ANSWER)
    assert answered.published_question == ORIGINAL and not answered.wording_edited
    assert not AuditEvent.objects.filter(verb="opportunity.clarification_reword").exists()
    assert not [m for m in mail.outbox if "edited" in m.subject]


@pytest.mark.parametrize(
    ("wording", "message"),
    [
        ("", "Enter the question as it will be published"),
        ("   ", "Enter the question as it will be published"),
        ("x" * 3001, "The question must be 3,000 characters or fewer"),
    ],
)
def test_a_blank_or_over_long_wording_is_refused_and_nothing_is_published(asked, wording, message):
    commissioner, _, clarification = asked
    with pytest.raises(services.OpportunityError) as refused:
        services.clarification_answer(
            actor=commissioner, clarification=clarification, answer=ANSWER, published_question=wording
        )
    assert refused.value.errors == {"published_question": [message]}
    clarification.refresh_from_db()
    assert clarification.published_at is None and clarification.published_question == ""


def test_only_the_opportunitys_commissioners_may_reword_and_answer(asked):
    _, asker, clarification = asked
    for someone in (person_with_role(Role.COMMISSIONER), asker, person_with_role(Role.ADMINISTRATOR)):
        with pytest.raises(services.PermissionDenied):
            services.clarification_answer(
                actor=someone, clarification=clarification, answer=ANSWER, published_question=REWORDED
            )
    clarification.refresh_from_db()
    assert clarification.published_at is None


def test_only_the_published_wording_is_shown_publicly_in_the_api_and_to_followers(
    client, asked, django_capture_on_commit_callbacks
):
    commissioner, asker, clarification = asked
    follower = person_with_role(Role.PROVIDER_ADMIN)
    services.interest_register(
        actor=follower, organisation=follower.memberships.get().organisation, opportunity=clarification.opportunity
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.clarification_answer(
            actor=commissioner, clarification=clarification, answer=ANSWER, published_question=REWORDED
        )
    reference = clarification.opportunity.reference

    public = text(client.get(f"/opportunities/{reference}/"))
    api = client.get(f"/api/v1/opportunities/{reference}").json()

    assert REWORDED in public and ORIGINAL not in public and "Armley" not in public
    assert [c["question"] for c in api["clarifications"]] == [REWORDED]
    assert ORIGINAL not in str(api)
    [update] = [m for m in mail.outbox if m.to == [follower.email]]
    assert REWORDED in update.body and ORIGINAL not in update.body
    # Other providers, signed in, read the published wording only.
    client.force_login(follower)
    assert ORIGINAL not in text(client.get(f"/opportunities/{reference}/"))
    assert ORIGINAL not in text(client.get("/account/questions/"))


def test_the_asker_sees_both_wordings_in_their_questions(client, asked):
    commissioner, asker, clarification = asked
    colleague = person_with_role(Role.PROVIDER_ADMIN, asker.memberships.get().organisation)
    client.force_login(asker)
    waiting = text(client.get("/account/questions/"))
    assert ORIGINAL in waiting and "Not answered yet" in waiting

    services.clarification_answer(
        actor=commissioner, clarification=clarification, answer=ANSWER, published_question=REWORDED
    )

    for person in (asker, colleague):
        client.force_login(person)
        page = text(client.get("/account/questions/"))
        assert ORIGINAL in page and REWORDED in page and "(edited by the commissioner)" in page and ANSWER in page


def test_the_commissioner_rewords_through_the_page_and_sees_both(client, asked):
    commissioner, _, clarification = asked
    client.force_login(colleague_of(commissioner))
    form = text(client.get(answer_page(clarification)))
    assert f'id="question-{clarification.pk}-published_question"' in form and ORIGINAL in form

    response = client.post(
        answer_page(clarification),
        {"clarification": clarification.pk, "published_question": REWORDED, "answer": ANSWER},
    )

    assert response.status_code == 302
    clarification.refresh_from_db()
    assert clarification.published_question == REWORDED and clarification.question == ORIGINAL
    after = text(client.get(answer_page(clarification)))
    assert ORIGINAL in after and f"as: {REWORDED}" in after


def test_a_blank_wording_on_the_page_names_the_field_and_publishes_nothing(client, asked):
    commissioner, _, clarification = asked
    client.force_login(commissioner)

    response = client.post(
        answer_page(clarification), {"clarification": clarification.pk, "published_question": " ", "answer": ANSWER}
    )

    assert response.status_code == 200
    page = text(response)
    target = f"question-{clarification.pk}-published_question"
    assert f'<a href="#{target}">Enter the question as it will be published</a>' in page
    assert f'id="{target}-error"' in page
    clarification.refresh_from_db()
    assert clarification.published_at is None


def test_publishing_twice_says_it_is_already_published_and_keeps_the_first(client, asked):
    commissioner, _, clarification = asked
    client.force_login(commissioner)
    data = {"clarification": clarification.pk, "published_question": REWORDED, "answer": ANSWER}
    client.post(answer_page(clarification), data)

    again = client.post(answer_page(clarification), {**data, "published_question": "Something else"})

    assert again.status_code == 200
    assert "This question has already been answered; the answer is published" in text(again)
    clarification.refresh_from_db()
    assert clarification.published_question == REWORDED
    assert AuditEvent.objects.filter(verb="opportunity.clarification_answer").count() == 1


def test_a_question_of_another_opportunity_cannot_be_answered_here(client, asked):
    commissioner, _, clarification = asked
    other = published(commissioner)
    client.force_login(commissioner)
    response = client.post(
        f"/commissioning/opportunities/{other.reference}/clarifications/",
        {"clarification": clarification.pk, "answer": ANSWER},
    )
    assert response.status_code == 404
    assert Clarification.objects.get(pk=clarification.pk).published_at is None


def test_the_questions_page_needs_signing_in(client):
    response = client.get("/account/questions/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
