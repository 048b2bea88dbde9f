"""The only write path for open reviews (NA-2): reviews, comments, moderation and "You said, we did".

- A commissioner of a body writes a review (of one of the body's needs
  assessments, of a service or of a sector), with the text put for comment,
  the questions and the period; closing before opening is refused, a period
  shorter than NA-2's ``comment_days`` is allowed (pages warn: NA-2 is then
  not met unless explained). Publishing makes it readable by anyone; from
  then the period can only be extended, never shortened.
- Anyone comments while it is open: signed in (published at once) or with a
  name and an e-mail address, kept unconfirmed until the one-time link sent
  to that address is opened (it works once and runs out). Against spam: a
  field people never see, a limit per address and per network address an
  hour, and at most a few links.
- The body removes a comment for abuse only, with one of the reasons kept in
  data; the page shows that it was removed and why. Never for disagreement.
- Once it has closed, the body answers every published comment in groups
  ("You said, we did"; a comment in at most one) and publishes the answers;
  everyone who commented with a confirmed address is told.

Every function is atomic and writes its audit event in the same transaction;
e-mails go after commit.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max

from commissioning.accounts.models import ApiToken, Organisation, normalise_email
from commissioning.audit.services import audit_record
from commissioning.core import clock
from commissioning.core.errors import RefusedError
from commissioning.core.formats import format_datetime
from commissioning.core.references import next_reference
from commissioning.core.text import multi_line_problem, single_line_problem

from . import reviews_emails
from .models import Answer, Assessment, Comment, CommentStatus, Review, ReviewKind
from .reviews_permissions import commissions_for_body, may_comment_signed_in
from .reviews_selectors import (
    CLOSED,
    DRAFT,
    OPEN,
    REFERENCE_PREFIX,
    UPCOMING,
    comment_get_by_token,
    commenter_addresses,
    confirmation_expires_at,
    moderation_reasons,
    review_status,
    reviews_setting,
    unanswered_comments,
)

LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
REVIEW_FIELDS = ("kind", "assessment", "title", "summary", "text", "questions", "opens_at", "closes_at")
LIMITS = {
    "title": 200,
    "summary": 2000,
    "text": 20000,
    "questions": 4000,
    "name": 120,
    "organisation_name": 200,
    "comment": 5000,
    "you_said": 4000,
    "we_did": 4000,
}


class ReviewError(RefusedError):
    """A request about an open review that the rules refuse, with messages per field."""


def client_key(address: str) -> str:
    """A digest of a commenter's network address: the limit counts it without keeping the address."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:review:{address or ''}".encode()).hexdigest()[:32]


def _require_commissioner(actor, review_or_body_id) -> None:
    body_id = getattr(review_or_body_id, "body_id", review_or_body_id)
    if not commissions_for_body(actor, body_id):
        raise PermissionDenied("Only a commissioner of the review's body can do this")


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update(of=("self",)).select_related("body").get(pk=review.pk)


SINGLE_LINE = frozenset({"title", "name", "organisation_name"})
WORDS = {"comment": "your comment", "name": "your name", "organisation_name": "the organisation's name"}


def _text_problems(values: dict, required: tuple[str, ...]) -> dict[str, list[str]]:
    """Each text's problem, if any: missing when required, too long, or not plain text (on one line for names)."""
    errors: dict[str, list[str]] = {}
    for name, limit in LIMITS.items():
        if name not in values:
            continue
        value = values[name] or ""
        what = WORDS.get(name, f"the {name.replace('_', ' ')}")
        rule = single_line_problem if name in SINGLE_LINE else multi_line_problem
        if name in required and not value.strip():
            errors[name] = [f"Enter {what}"]
        elif len(value) > limit:
            errors[name] = [f"{what[:1].upper()}{what[1:]} must be {limit:,} characters or fewer"]
        elif problem := rule(value, what=what):
            errors[name] = [str(problem)]
    return errors


# Reviews ---------------------------------------------------------------------------


def _review_values(*, body_id: int, data: dict) -> tuple[dict, dict[str, list[str]]]:
    """The review's fields cleaned, and the problems with them (kind, assessment, texts, period)."""
    values = {name: data.get(name) for name in REVIEW_FIELDS}
    for name in ("title", "summary", "text", "questions"):
        values[name] = (values[name] or "").strip()
    errors = _text_problems(values, ("title", "summary", "text"))
    kind = values["kind"]
    if kind not in ReviewKind.values:
        errors["kind"] = ["Select what is being reviewed"]
    assessment = values["assessment"]
    if kind == ReviewKind.NEEDS_ASSESSMENT:
        if assessment is None:
            errors["assessment"] = ["Select the needs assessment being reviewed"]
        elif not isinstance(assessment, Assessment) or assessment.body_id != body_id:
            errors["assessment"] = ["Select one of your body's needs assessments"]
    else:
        values["assessment"] = None
    opens_at, closes_at = values["opens_at"], values["closes_at"]
    for name, moment in (("opens_at", opens_at), ("closes_at", closes_at)):
        if moment is not None and (not isinstance(moment, datetime) or moment.tzinfo is None):
            errors[name] = ["Enter a date and time"]
    if "opens_at" not in errors and "closes_at" not in errors and opens_at and closes_at and closes_at <= opens_at:
        errors["closes_at"] = ["The review must close after it opens"]
    return values, errors


def review_create(*, actor, body: Organisation, data: dict) -> Review:
    """Write a draft review for ``body``; returns it with its reference (LRV-year-number).

    Guarantees: only a commissioner of ``body`` (``PermissionDenied``); a
    needs assessment review names one of the body's assessments, the others
    none; a title, summary and text within their limits; a period, when
    given, that closes after it opens. Nobody but the body sees it until it
    is published. Audited.
    """
    _require_commissioner(actor, body.pk)
    values, errors = _review_values(body_id=body.pk, data=data)
    if errors:
        raise ReviewError(errors)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                review = Review.objects.create(
                    reference=next_reference(Review, REFERENCE_PREFIX),
                    body=body,
                    created_by=actor,
                    **values,
                )
                audit_record(actor=actor, verb="review.create", obj=review, after=_summary(review))
            return review
        except IntegrityError:
            # Another writer drew the same reference a moment ago: draw again.
            continue
    raise ReviewError.on("", "The review could not be saved: please try again")


def review_update(*, actor, review: Review, data: dict) -> Review:
    """Change a draft review's kind, assessment, texts and period (see :func:`review_create`).

    Guarantees: only a commissioner of its body, and only while it is a
    draft: a published review's period is changed by :func:`review_extend`.
    Audited with what changed.
    """
    _require_commissioner(actor, review)
    with transaction.atomic():
        locked = _locked(review)
        if locked.published_at is not None:
            raise ReviewError.on("", "The review is published: only its closing time can be changed, to later")
        values, errors = _review_values(body_id=locked.body_id, data=data)
        if errors:
            raise ReviewError(errors)
        before = _summary(locked)
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
        audit_record(actor=actor, verb="review.update", obj=locked, before=before, after=_summary(locked))
    return locked


def review_publish(*, actor, review: Review) -> Review:
    """Publish a draft review: from now anyone can read it, and comment while it is open.

    Guarantees: only a commissioner of its body; only a draft; its period set
    and not over already (a review that would close before it is published
    is refused). A period shorter than NA-2's ``comment_days`` is allowed.
    Audited.
    """
    _require_commissioner(actor, review)
    with transaction.atomic():
        locked = _locked(review)
        if locked.published_at is not None:
            raise ReviewError.on("", "The review is already published")
        errors = {}
        if locked.opens_at is None:
            errors["opens_at"] = ["Set when the review opens for comment"]
        if locked.closes_at is None:
            errors["closes_at"] = ["Set when the review closes"]
        elif locked.closes_at <= clock.now():
            errors["closes_at"] = [
                f"The review would close on {format_datetime(locked.closes_at)}, which has passed: set a later time"
            ]
        if errors:
            raise ReviewError(errors)
        locked.published_at = clock.now()
        locked.save(update_fields=["published_at", "updated_at"])
        audit_record(actor=actor, verb="review.publish", obj=locked, after=_summary(locked))
    return locked


def review_extend(*, actor, review: Review, closes_at: datetime, reason: str = "") -> Review:
    """Move a published review's closing time later; never earlier.

    Guarantees: only a commissioner of its body; only a published review that
    has not closed (a closed review is not reopened); the new time after the
    present one. Audited with the old and new times and the reason.
    """
    _require_commissioner(actor, review)
    with transaction.atomic():
        locked = _locked(review)
        status = review_status(locked)
        if status == DRAFT:
            raise ReviewError.on("", "The review is a draft: change its period by editing it")
        if status not in (OPEN, UPCOMING):
            raise ReviewError.on(
                "closes_at", f"The review closed on {format_datetime(locked.closes_at)}: it cannot be reopened"
            )
        if closes_at is None or closes_at.tzinfo is None:
            raise ReviewError.on("closes_at", "Enter the new closing date and time")
        if closes_at <= locked.closes_at:
            raise ReviewError.on(
                "closes_at",
                f"The review closes on {format_datetime(locked.closes_at)}: a published review's period can only "
                "be extended, so choose a later time",
            )
        before = locked.closes_at
        locked.closes_at = closes_at
        locked.save(update_fields=["closes_at", "updated_at"])
        audit_record(
            actor=actor,
            verb="review.extend",
            obj=locked,
            before={"closes_at": before},
            after={"closes_at": closes_at},
            reason=(reason or "").strip()[:500],
        )
    return locked


def _summary(review: Review) -> dict:
    return {
        "reference": review.reference,
        "kind": review.kind,
        "assessment": review.assessment_id,
        "title": review.title,
        "opens_at": review.opens_at,
        "closes_at": review.closes_at,
    }


# Comments --------------------------------------------------------------------------


def _comment_period_problem(review: Review) -> str | None:
    status = review_status(review)
    if status == DRAFT:
        return "This review is not open for comment"
    if status == UPCOMING:
        return f"Comments open on {format_datetime(review.opens_at)}"
    if status != OPEN:
        return f"Comments closed on {format_datetime(review.closes_at)}"
    return None


def _comment_problems(*, text: str, name: str, email: str, organisation_name: str, signed_in: bool) -> dict:
    errors = _text_problems(
        {"comment": text, "organisation_name": organisation_name} | ({} if signed_in else {"name": name}),
        ("comment", "name"),
    )
    if "comment" in errors:
        errors["text"] = errors.pop("comment")
    elif len(LINK.findall(text)) > reviews_setting("max_links"):
        most = reviews_setting("max_links")
        errors["text"] = [
            f"Your comment has more than {most} web link{'s' if most != 1 else ''}: take some out, then send it again"
        ]
    if not signed_in:
        if not email or "@" not in email or len(email) > 254 or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
            errors["email"] = ["Enter an e-mail address in the correct format, like name@example.org"]
    return errors


def _over_the_limit(review: Review, *, email: str, author, client: str) -> bool:
    hour_ago = clock.now() - timedelta(hours=1)
    recent = Comment.objects.filter(posted_at__gte=hour_ago)
    mine = recent.filter(author=author) if author is not None else recent.filter(email=email)
    if mine.count() >= reviews_setting("per_address_per_hour"):
        return True
    return bool(client) and recent.filter(client_key=client).count() >= reviews_setting("per_sender_per_hour")


def comment_post(
    *,
    review: Review,
    actor=None,
    text: str,
    name: str = "",
    email: str = "",
    organisation_name: str = "",
    trap: str = "",
    client: str = "",
) -> tuple[Comment, str | None]:
    """Take a comment on a review while it is open; returns it and, without signing in, the link's token.

    Guarantees: refused for a draft, before it opens and after it closes (the
    message says when); the filled hidden field, more than the set number of
    links, or more than the set number an hour from one address (account or
    e-mail) or one network address (``client``, a digest) is refused and
    nothing is kept. A signed-in person's comment is published at once under
    their name; anyone else's is kept unconfirmed, only its digest of a
    one-time token stored, and the token e-mailed to them. Audited.
    """
    if (trap or "").strip():
        raise ReviewError.on("", "Your comment could not be sent")
    signed_in = may_comment_signed_in(actor)
    text = (text or "").strip()
    organisation_name = (organisation_name or "").strip()
    name = (actor.full_name if signed_in else (name or "")).strip()
    email = "" if signed_in else normalise_email(email or "")
    errors = _comment_problems(
        text=text, name=name, email=email, organisation_name=organisation_name, signed_in=signed_in
    )
    with transaction.atomic():
        locked = _locked(review)
        problem = _comment_period_problem(locked)
        if problem:
            raise ReviewError.on("", problem)
        if errors:
            raise ReviewError(errors)
        author = actor if signed_in else None
        if _over_the_limit(locked, email=email, author=author, client=client):
            raise ReviewError.on("", "A lot of comments have come from you in the last hour: please try again later")
        now = clock.now()
        token = None if signed_in else secrets.token_urlsafe(32)
        comment = Comment.objects.create(
            review=locked,
            author=author,
            name=name,
            email=email,
            organisation_name=organisation_name,
            text=text,
            status=CommentStatus.PUBLISHED if signed_in else CommentStatus.UNCONFIRMED,
            confirmation_digest=ApiToken.digest_of(token) if token else "",
            posted_at=now,
            confirmed_at=now if signed_in else None,
            client_key=client,
        )
        audit_record(
            actor=author,
            verb="review.comment_post",
            obj=locked,
            after={"comment": comment.pk, "status": comment.status, "signed_in": signed_in},
        )
        if token:
            expires_at = confirmation_expires_at(comment)
            reviews_emails.comment_confirmation(comment=comment, token=token, expires_at=expires_at)
    return comment, token


def comment_confirm(*, token: str) -> Comment:
    """Publish the comment a confirmation link names: the link works once and only until it runs out.

    Guarantees: an unknown token, one already used, or one past its
    ``confirmation_hours`` is refused with a message saying which, and
    nothing changes; the comment is published even if the review has closed
    since it was posted (it came in time), but not once the answers are
    published. Audited.
    """
    found = comment_get_by_token(token)
    if found is None:
        raise ReviewError.on("", "This link is not recognised: check you copied all of it from the e-mail")
    with transaction.atomic():
        comment = Comment.objects.select_for_update(of=("self",)).select_related("review").get(pk=found.pk)
        if comment.status != CommentStatus.UNCONFIRMED:
            raise ReviewError.on("", "This link has already been used: your comment was confirmed")
        if clock.now() >= confirmation_expires_at(comment):
            raise ReviewError.on(
                "",
                f"This link ran out on {format_datetime(confirmation_expires_at(comment))}: "
                "your comment was not published",
            )
        if comment.review.answered_at is not None:
            raise ReviewError.on("", "The review's answers are published, so no more comments can be added")
        comment.status = CommentStatus.PUBLISHED
        comment.confirmed_at = clock.now()
        comment.save(update_fields=["status", "confirmed_at"])
        audit_record(actor=None, verb="review.comment_confirm", obj=comment.review, after={"comment": comment.pk})
    return comment


def comment_remove(*, actor, comment: Comment, reason: str) -> Comment:
    """Remove a published comment for abuse, with one of the moderation reasons kept in data.

    Guarantees: only a commissioner of the review's body; only a published
    comment; the reason is required and must be one of the listed reasons
    (abusive, personal information, spam, advertising): disagreement never
    is. The comment's text is kept (the audit shows it), its place on the page
    says it was removed and why, and it leaves any answer group. Audited.
    """
    _require_commissioner(actor, comment.review)
    reasons = moderation_reasons()
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError.on("reason", "Select why the comment is removed")
    if reason in reasons.never:
        raise ReviewError.on("reason", reasons.never[reason])
    if reason not in reasons.allowed:
        raise ReviewError.on("reason", "Select one of the reasons a comment may be removed")
    with transaction.atomic():
        locked = Comment.objects.select_for_update(of=("self",)).select_related("review").get(pk=comment.pk)
        if locked.status != CommentStatus.PUBLISHED:
            raise ReviewError.on("", "Only a published comment can be removed")
        if locked.review.answered_at is not None:
            raise ReviewError.on("", "The answers are published: the comments they answer stay as they are")
        before = {"status": locked.status, "answer": locked.answer_id}
        locked.status = CommentStatus.REMOVED
        locked.removed_reason = reason
        locked.removed_by = actor
        locked.removed_at = clock.now()
        locked.answer = None
        locked.save(update_fields=["status", "removed_reason", "removed_by", "removed_at", "answer"])
        audit_record(
            actor=actor,
            verb="review.comment_remove",
            obj=locked.review,
            before=before,
            after={"comment": locked.pk, "status": locked.status},
            reason=reasons.label(reason),
        )
    return locked


# Answers ---------------------------------------------------------------------------


def _answer_text_problems(you_said: str, we_did: str) -> dict[str, list[str]]:
    errors = _text_problems({"you_said": you_said, "we_did": we_did}, ("you_said", "we_did"))
    if "you_said" in errors and not you_said.strip():
        errors["you_said"] = ["Enter what people said"]
    if "we_did" in errors and not we_did.strip():
        errors["we_did"] = ["Enter what was done about it"]
    return errors


def _chosen_problem(wanted: list[int] | None, chosen: list[Comment], answer: Answer | None) -> str | None:
    """What is wrong with the comments chosen for an answer group, or None."""
    if not wanted:
        return "Select the comments this answers"
    if len(chosen) != len(wanted):
        return "Select only published comments on this review"
    taken = [c for c in chosen if c.answer_id and (answer is None or c.answer_id != answer.pk)]
    if taken:
        names = ", ".join(f"{c.name}'s" for c in taken)
        return f"A comment belongs to at most one answer: {names} is already in another; take it out of that first"
    return None


def _wanted_ids(comment_ids) -> list[int] | None:
    try:
        return sorted({int(i) for i in comment_ids or []})
    except (TypeError, ValueError):
        return None


def answer_save(
    *, actor, review: Review, you_said: str, we_did: str, comment_ids, answer: Answer | None = None
) -> Answer:
    """Write or change one "You said, we did" group, with the published comments it answers.

    Guarantees: only a commissioner of the body; only for a published review
    whose answers are not published yet; both texts within their limits; at
    least one comment, each a published comment of this review, none already
    in another group (a comment belongs to at most one answer). Changing a
    group sets its comments to exactly those chosen. Audited.
    """
    _require_commissioner(actor, review)
    you_said, we_did = (you_said or "").strip(), (we_did or "").strip()
    errors = _answer_text_problems(you_said, we_did)
    wanted = _wanted_ids(comment_ids)
    with transaction.atomic():
        locked = _locked(review)
        if locked.published_at is None:
            raise ReviewError.on("", "The review is a draft: it has no comments to answer")
        if locked.answered_at is not None:
            raise ReviewError.on("", "The answers are published and cannot be changed")
        if answer is not None and answer.review_id != locked.pk:
            raise PermissionDenied("That answer belongs to another review")
        published = Comment.objects.select_for_update().filter(review=locked, status=CommentStatus.PUBLISHED)
        chosen = list(published.filter(pk__in=wanted or []))
        if problem := _chosen_problem(wanted, chosen, answer):
            errors["comments"] = [problem]
        if errors:
            raise ReviewError(errors)
        before = {}
        if answer is None:
            last = locked.answers.aggregate(last=Max("position"))["last"] or 0
            answer = Answer.objects.create(
                review=locked, position=last + 1, you_said=you_said, we_did=we_did, written_by=actor
            )
        else:
            answer = Answer.objects.select_for_update().get(pk=answer.pk)
            before = {
                "you_said": answer.you_said,
                "we_did": answer.we_did,
                "comments": sorted(answer.comments.values_list("pk", flat=True)),
            }
            answer.you_said, answer.we_did = you_said, we_did
            answer.save(update_fields=["you_said", "we_did"])
            answer.comments.exclude(pk__in=wanted).update(answer=None)
        Comment.objects.filter(pk__in=wanted).update(answer=answer)
        audit_record(
            actor=actor,
            verb="review.answer_save",
            obj=locked,
            before=before,
            after={"answer": answer.position, "you_said": you_said, "we_did": we_did, "comments": wanted},
        )
    return answer


def answers_publish(*, actor, review: Review) -> Review:
    """Publish the review's answers: "You said, we did" appears on its public page.

    Guarantees: only a commissioner of the body; only once the review has
    closed, and only when every published comment is in an answer group;
    only once. Sets ``answered_at``, then e-mails everyone who commented
    with a confirmed address (after commit). Audited.
    """
    _require_commissioner(actor, review)
    with transaction.atomic():
        locked = _locked(review)
        status = review_status(locked)
        if status == DRAFT:
            raise ReviewError.on("", "The review is a draft: publish it for comment first")
        if status != CLOSED:
            if locked.answered_at is not None:
                raise ReviewError.on("", "The answers are already published")
            raise ReviewError.on(
                "", f"The review is open until {format_datetime(locked.closes_at)}: answer the comments once it closes"
            )
        waiting = unanswered_comments(locked).count()
        if waiting:
            raise ReviewError.on(
                "",
                f"{waiting} published comment{' is' if waiting == 1 else 's are'} not in any answer yet: "
                "answer every comment before publishing",
            )
        locked.answered_at = clock.now()
        locked.save(update_fields=["answered_at", "updated_at"])
        audit_record(
            actor=actor,
            verb="review.answers_publish",
            obj=locked,
            after={"answers": locked.answers.count(), "answered_at": locked.answered_at},
        )
        reviews_emails.answers_published(review=locked, recipients=commenter_addresses(locked))
    return locked
