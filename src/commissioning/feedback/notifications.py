"""What bidders and interested organisations are told after the award: a letter is ready, a survey.

Queued after the transaction commits and sent by the task worker. A letter's
e-mail carries only a link: the letter itself is read signed in, by the
bidder's own people. A survey's e-mail carries its secret link, which is
never stored.
"""

from django.conf import settings
from django.urls import reverse

from commissioning.accounts.emails import queue_email
from commissioning.accounts.models import Membership, Role

from .models import Letter, SurveyInvitation, SurveyRole
from .wording import TITLES


def provider_administrators(organisation) -> set[str]:
    """The e-mail addresses of an organisation's active provider administrators."""
    return set(
        Membership.objects.filter(organisation=organisation, role=Role.PROVIDER_ADMIN, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def letter_sent(letter: Letter, recipients: list[str]) -> None:
    """Tell the bidder that its letter is ready to read, with the link."""
    submission = letter.submission
    opportunity = letter.content["opportunity"]
    title = TITLES.get(letter.kind, "Letter")
    link = settings.SITE_URL + reverse("feedback:bid-letter", args=[submission.public_id, letter.pk])
    results = settings.SITE_URL + reverse("feedback:bid-results", args=[submission.public_id])
    body = (
        f"The {title.lower()} to {submission.organisation.name} about {opportunity['title']} "
        f"({opportunity['reference']}) is ready.\n\n"
        f"Read it, or download it as a Word document, here (sign in first):\n{link}\n\n"
        f"Your results for each lot, with your scores, are here:\n{results}\n\n"
        f"You get this because you are a provider administrator of {submission.organisation.name}, "
        "or you submitted its bid.\n"
    )
    for address in recipients:
        queue_email(to=[address], subject=f"{title}: {opportunity['title']}", body=body)


INTRODUCTIONS = {
    SurveyRole.SUCCESSFUL: "Your organisation was successful in",
    SurveyRole.UNSUCCESSFUL: "Your organisation bid for",
    SurveyRole.INTERESTED: "Your organisation registered interest in, but did not bid for,",
}


def survey_invitation(invitation: SurveyInvitation, token: str) -> None:
    """Ask for a few minutes' feedback on how the opportunity was run, with the survey's own link."""
    opportunity = invitation.evaluation.opportunity
    link = settings.SITE_URL + reverse("feedback:survey", args=[token])
    question = (
        "Tell us why you did not bid, and what would have helped."
        if invitation.role == SurveyRole.INTERESTED
        else "Tell us how the process went, what worked and what we should improve."
    )
    body = (
        f"{INTRODUCTIONS[invitation.role]} {opportunity.title} ({opportunity.reference}).\n\n"
        f"{question} It takes about five minutes and helps the commissioners learn lessons for the next "
        "opportunity, as the Leeds Commissioning Code of Practice asks.\n\n"
        f"The survey (no need to sign in; it can be answered once):\n{link}\n\n"
        f"Your answers are seen by the commissioners of this opportunity, with {invitation.organisation.name}'s "
        "name. They do not change the award decision.\n"
    )
    for address in invitation.recipients:
        queue_email(to=[address], subject=f"How did we do? {opportunity.title}", body=body)
