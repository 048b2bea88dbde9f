"""What a provider is told about its agreements: one is issued to accept, withdrawn, accepted.

Queued after the transaction commits and sent by the task worker; the
e-mail carries only a link, read signed in by the provider's own people.
"""

from django.conf import settings
from django.urls import reverse

from commissioning.accounts.emails import queue_email
from commissioning.accounts.models import Membership, Role
from commissioning.core.formats import format_date
from commissioning.core.money import format_money

from .models import Agreement


def _provider_administrators(agreement: Agreement) -> set[str]:
    return set(
        Membership.objects.filter(organisation=agreement.provider, role=Role.PROVIDER_ADMIN, user__is_active=True)
        .values_list("user__email", flat=True)
        .distinct()
    )


def _tell_administrators(agreement: Agreement, what: str, body: str) -> None:
    """E-mail each of the provider's administrators, one message each, titled ``what`` and the agreement's title."""
    for address in _provider_administrators(agreement):
        queue_email(to=[address], subject=f"{what}: {agreement.title}", body=body)


def _link(agreement: Agreement) -> str:
    return settings.SITE_URL + reverse("contracts:provider-agreement", args=[agreement.reference])


def agreement_issued(agreement: Agreement) -> None:
    """Ask the provider's administrators to read and accept an issued agreement."""
    body = (
        f"{agreement.commissioner.name} has issued {agreement.reference}, {agreement.title}, to "
        f"{agreement.provider.name}.\n\nRead it and, if you are authorised to, accept it here (sign in first):\n"
        f"{_link(agreement)}\n\nYou get this because you are a provider administrator of {agreement.provider.name}.\n"
    )
    _tell_administrators(agreement, "Agreement to accept", body)


def agreement_withdrawn(agreement: Agreement, reason: str) -> None:
    """Tell the provider's administrators an issued agreement was taken back to correct it, and why."""
    body = (
        f"{agreement.commissioner.name} has withdrawn {agreement.reference}, {agreement.title}, to correct it. "
        f"Their reason: {reason}\n\nYou will be sent the corrected agreement to accept.\n{_link(agreement)}\n"
    )
    _tell_administrators(agreement, "Agreement withdrawn", body)


def agreement_accepted(agreement: Agreement) -> None:
    """Confirm the acceptance to the provider's administrators, with the digest of what was accepted."""
    body = (
        f"{agreement.accepted_name} ({agreement.accepted_role}) accepted {agreement.reference}, {agreement.title}, "
        f"for {agreement.provider.name}.\n\nSHA-256 of the document accepted: {agreement.accepted_digest}\n\n"
        f"The reporting and payment calendar is here:\n{_link(agreement)}\n"
    )
    _tell_administrators(agreement, "Agreement accepted", body)


def invoice_disputed(agreement: Agreement, number: int, reason: str) -> None:
    """Tell the provider's administrators, without undue delay, that an invoice or claim is disputed and why."""
    link = settings.SITE_URL + reverse("contracts:provider-payments", args=[agreement.reference])
    body = (
        f"{agreement.commissioner.name} disputes the invoice or claim for payment {number} under "
        f"{agreement.reference}, {agreement.title}.\n\nTheir reason: {reason}\n\nSend a corrected invoice or "
        f"claim, or talk to them. The payments are here (sign in first):\n{link}\n"
    )
    _tell_administrators(agreement, "Invoice disputed", body)


def assessment_recorded(assessment) -> None:
    """Tell the provider's administrators a performance assessment was recorded, with its overall rating."""
    agreement = assessment.agreement
    link = settings.SITE_URL + reverse("contracts:provider-performance", args=[agreement.reference])
    body = (
        f"{agreement.commissioner.name} has assessed {agreement.provider.name}'s performance under "
        f"{agreement.reference}, {agreement.title}, for {assessment.period_start:%d/%m/%Y} to "
        f"{assessment.period_end:%d/%m/%Y}.\n\nOverall rating: {assessment.get_rating_display()}\n\n"
        f"Read the rating of each KPI and the commissioner's note here (sign in first):\n{link}\n"
    )
    _tell_administrators(agreement, "Performance assessment", body)


def return_shared(monitoring_return) -> None:
    """Tell the provider's administrators that another funder's return covers one of its returns: no need to send it."""
    agreement = monitoring_return.agreement
    covering = monitoring_return.covered_by
    link = settings.SITE_URL + reverse("contracts:provider-returns", args=[agreement.reference])
    body = (
        f"{agreement.commissioner.name} and {covering.agreement.commissioner.name} have agreed that your return "
        f"{covering.number} under {covering.agreement.reference} ({covering.agreement.title}) covers return "
        f"{monitoring_return.number} under {agreement.reference} ({agreement.title}) for "
        f"{monitoring_return.period_start:%d/%m/%Y} to {monitoring_return.period_end:%d/%m/%Y}.\n\n"
        f"You need not submit return {monitoring_return.number} under {agreement.reference}.\n{link}\n"
    )
    _tell_administrators(agreement, "Return not needed", body)


def variation_approved(variation) -> None:
    """Tell the provider's administrators that a variation of their agreement was approved, and what it changed."""
    agreement = variation.agreement
    body = (
        f"{agreement.commissioner.name} has approved variation {variation.number} of {agreement.reference}, "
        f"{agreement.title}: {variation.get_kind_display().lower()}.\n\nThe reason: {variation.reason}\n\n"
        f"The agreement's value is now {format_money(agreement.value)} "
        f"and it ends on {format_date(agreement.ends_on)}. "
        f"The payments still to come are shown here (sign in first):\n{_link(agreement)}\n"
    )
    _tell_administrators(agreement, "Agreement varied", body)
