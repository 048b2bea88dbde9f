"""Beneficiaries' feedback (CM-2): a public page per agreement, no sign-in, plain words, spam-resistant.

Feedback is kept with the agreement and seen by its commissioners and its provider, who may respond.
Contact details are optional and shown only to them. Against spam, without scripts or third parties:
a field people never see (filled only by programs), a signed time stamp (a form posted faster than
people type, or more than a day after it was shown, is refused) and a limit per agreement per hour
and per address per hour, all figures in the ``CONTRACTS`` setting.
"""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import transaction

from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.errors import RefusedError

from .models import Agreement, AgreementStatus, BeneficiaryFeedback
from .permissions import is_agreement_commissioner, is_agreement_provider, is_authorised_for_provider

SALT = "contracts.beneficiary-feedback"
LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


class FeedbackError(RefusedError):
    """Feedback the route refuses, with messages per field."""


def _setting(name: str) -> int:
    return int(settings.CONTRACTS[f"feedback_{name}"])


def open_agreement(token: str) -> Agreement | None:
    """The accepted agreement whose public feedback route this is, while its route is open (None otherwise)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{6,20}", token or ""):
        return None
    return (
        Agreement.objects.filter(feedback_token=token, feedback_open=True, status=AgreementStatus.ACCEPTED)
        .select_related("provider", "commissioner")
        .first()
    )


def form_stamp(agreement: Agreement) -> str:
    """A signed stamp of when the form was shown, for this agreement."""
    return signing.dumps({"a": agreement.pk, "t": clock.now().timestamp()}, salt=SALT)


def _stamp_problem(agreement: Agreement, stamp: str) -> str | None:
    try:
        value = signing.loads(stamp or "", salt=SALT)
    except signing.BadSignature:
        return "The form has expired: please fill it in again"
    if value.get("a") != agreement.pk:
        return "The form has expired: please fill it in again"
    age = clock.now().timestamp() - float(value.get("t", 0))
    if age < _setting("min_seconds"):
        return "That was sent very quickly: please check what you wrote and send it again"
    if age > 24 * 3600:
        return "The form has expired: please fill it in again"
    return None


def client_key(address: str) -> str:
    """A digest of the sender's network address: the limit counts it without keeping the address."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{address or ''}".encode()).hexdigest()[:32]


def _rating(rating) -> int | None | str:
    if rating in (None, ""):
        return None
    try:
        value = int(rating)
    except (TypeError, ValueError):
        return "bad"
    return value if 1 <= value <= 5 else "bad"


def _checked(text: str, rating, name: str, contact: str) -> tuple[dict[str, list[str]], int | None]:
    errors: dict[str, list[str]] = {}
    if len(text) < 3:
        errors["text"] = ["Tell us what you think of the service"]
    elif len(text) > 3000:
        errors["text"] = ["Your feedback must be 3,000 characters or fewer"]
    elif len(LINK.findall(text)) > _setting("max_links"):
        errors["text"] = ["Take out the web links, then send your feedback"]
    value = _rating(rating)
    if value == "bad":
        errors["rating"] = ["Choose how good the service is, from 1 to 5"]
        value = None
    if len(name or "") > 150:
        errors["name"] = ["Your name must be 150 characters or fewer"]
    if len(contact or "") > 254:
        errors["contact"] = ["Your contact details must be 254 characters or fewer"]
    return errors, value


def feedback_give(
    *,
    agreement: Agreement,
    text: str,
    rating=None,
    name: str = "",
    contact: str = "",
    stamp: str = "",
    trap: str = "",
    client: str = "",
) -> BeneficiaryFeedback:
    """Keep what someone who uses the service said, after the spam checks.

    Guarantees: only while the agreement's route is open; the words are
    needed (3 to 3,000 characters, at most the set number of links); a
    rating, when given, is 1 to 5; the filled hidden field, a stamp too
    fresh, stale or forged, or more than the set number an hour (per
    agreement, per sender) is refused and nothing is kept.
    """
    if (trap or "").strip():
        raise FeedbackError.on("", "Your feedback could not be sent")
    problem = _stamp_problem(agreement, stamp)
    if problem:
        raise FeedbackError.on("", problem)
    text = (text or "").strip()
    errors, rating = _checked(text, rating, name, contact)
    if errors:
        raise FeedbackError(errors)
    hour_ago = clock.now() - timedelta(hours=1)
    with transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        recent = BeneficiaryFeedback.objects.filter(agreement=locked, received_at__gte=hour_ago)
        if recent.count() >= _setting("per_agreement_per_hour") or (
            client and recent.filter(client_key=client).count() >= _setting("per_sender_per_hour")
        ):
            raise FeedbackError.on("", "A lot of feedback has been sent in the last hour: please try again later")
        feedback = BeneficiaryFeedback.objects.create(
            agreement=locked,
            received_at=clock.now(),
            text=text,
            rating=rating,
            contact_name=(name or "").strip(),
            contact=(contact or "").strip(),
            client_key=client,
        )
        audit_record(actor=None, verb="feedback.give", obj=locked, after={"feedback": feedback.pk, "rating": rating})
    return feedback


def feedback_respond(*, actor, feedback: BeneficiaryFeedback, response: str) -> BeneficiaryFeedback:
    """The provider's people respond to a piece of feedback (a response can be changed, each change audited)."""
    if not is_agreement_provider(actor, feedback.agreement):
        raise PermissionDenied("Only the provider's people respond to its feedback")
    response = (response or "").strip()
    if not response:
        raise FeedbackError.on("response", "Enter your response")
    if len(response) > 3000:
        raise FeedbackError.on("response", "Your response must be 3,000 characters or fewer")
    with transaction.atomic():
        locked = BeneficiaryFeedback.objects.select_for_update().get(pk=feedback.pk)
        before = locked.response
        locked.response, locked.responded_at, locked.responded_by = response, clock.now(), actor
        locked.save(update_fields=["response", "responded_at", "responded_by"])
        audit_record(
            actor=actor,
            verb="feedback.respond",
            obj=locked.agreement,
            before={"response": before},
            after={"feedback": locked.pk, "response": response},
        )
    return locked


def feedback_hide(*, actor, feedback: BeneficiaryFeedback) -> BeneficiaryFeedback:
    """Set spam or abuse aside: by the agreement's commissioners or the provider's administrators; kept, audited."""
    if not (
        is_agreement_commissioner(actor, feedback.agreement) or is_authorised_for_provider(actor, feedback.agreement)
    ):
        raise PermissionDenied("Only the agreement's commissioners or the provider's administrators can do this")
    with transaction.atomic():
        locked = BeneficiaryFeedback.objects.select_for_update().get(pk=feedback.pk)
        locked.hidden, locked.hidden_by = True, actor
        locked.save(update_fields=["hidden", "hidden_by"])
        audit_record(actor=actor, verb="feedback.hide", obj=locked.agreement, after={"feedback": locked.pk})
    return locked


def feedback_in_period(agreement: Agreement, start, end) -> dict:
    """How much feedback came in a period (a return's): the count and the count of each rating."""
    rows = BeneficiaryFeedback.objects.filter(
        agreement=agreement, hidden=False, received_at__date__gte=start, received_at__date__lte=end
    ).values_list("rating", flat=True)
    ratings = list(rows)
    return {"count": len(ratings), "ratings": {n: ratings.count(n) for n in range(1, 6)}}
