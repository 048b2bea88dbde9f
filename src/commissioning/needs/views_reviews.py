"""Open reviews' pages: the public list and review (with its comment form), the confirmation link, and the
body's commissioners' pages to write, publish, extend, moderate and answer a review.

Reviews load through the selectors: a draft answers 404 to anyone but its
body's commissioners, and the commissioners' pages answer 404 to everyone
else. Every change goes through :mod:`.reviews`.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from commissioning.accounts.lockout import client_address
from commissioning.accounts.models import Organisation
from commissioning.accounts.permissions import commissioning_at
from commissioning.core import clock
from commissioning.frontend.forms import posted, refusal_form, refused_into

from . import reviews
from . import reviews_selectors as selectors
from .reviews_forms import AnswerForm, CommentForm, ExtendForm, RemoveForm, ReviewForm, SignedInCommentForm
from .reviews_permissions import is_review_commissioner, may_comment_signed_in


def _commissioner(request) -> frozenset[int]:
    bodies = commissioning_at(request.user)
    if not bodies:
        raise Http404
    return bodies


def _manage(reference: str) -> HttpResponse:
    return redirect("reviews:manage", reference)


# Public pages ----------------------------------------------------------------------


@require_GET
def reviews_list(request: HttpRequest) -> HttpResponse:
    """Open and closed reviews, open first and closing soonest, filtered by status and body, a page at a time."""
    status = request.GET.get("status", "")[:20]
    body = request.GET.get("body", "")[:200]
    filters = selectors.ReviewsFilter(status=status, body=body)
    found = selectors.reviews_public(filters=filters)
    page = Paginator(found, selectors.reviews_setting("page_size")).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "needs/reviews/list.html",
        {
            "page": page,
            "status": status if status in selectors.PUBLIC_FILTERS else "",
            "body": body,
            "statuses": selectors.PUBLIC_FILTERS,
            "bodies": selectors.bodies_with_reviews(),
            "labels": selectors.STATUS_LABELS,
            "query_string": params.urlencode(),
            "filtered": bool(status or body),
        },
    )


def _comment_form(request, data=None):
    form_class = SignedInCommentForm if may_comment_signed_in(request.user) else CommentForm
    return form_class(data)


@require_http_methods(["GET", "POST"])
def review_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """A review: its text, questions and period, the comment form while open, comments and, once answered,
    "You said, we did". A draft is shown only to its body's commissioners."""
    review = selectors.review_get_for(user=request.user, reference=reference)
    form = _comment_form(request, posted(request))
    if request.method == "POST":
        if review.published_at is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                comment, token = reviews.comment_post(
                    review=review,
                    actor=request.user,
                    text=data["text"],
                    name=data.get("name", ""),
                    email=data.get("email", ""),
                    organisation_name=data["organisation_name"],
                    trap=data["website"],
                    client=reviews.client_key(client_address(request)),
                )
            except reviews.ReviewError as error:
                refused_into(form, error)
            else:
                if token is not None:
                    return render(
                        request,
                        "needs/reviews/check_email.html",
                        {
                            "review": review,
                            "comment": comment,
                            "hours": selectors.reviews_setting("confirmation_hours"),
                        },
                    )
                messages.success(request, "Your comment is published.")
                return redirect(reverse("reviews:detail", args=[review.reference]) + f"#comment-{comment.pk}")
    sheet = selectors.review_page_for(review=review)
    return render(
        request,
        "needs/reviews/detail.html",
        {
            "review": review,
            "sheet": sheet,
            "form": form,
            "signed_in": may_comment_signed_in(request.user),
            "may_manage": is_review_commissioner(request.user, review),
            "labels": selectors.STATUS_LABELS,
        },
    )


@require_http_methods(["GET", "POST"])
def comment_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed to someone who commented without signing in: a button publishes their comment."""
    comment = selectors.comment_get_by_token(token)
    if comment is None:
        raise Http404
    form = None
    if request.method == "POST":
        try:
            comment = reviews.comment_confirm(token=token)
        except reviews.ReviewError as error:
            form = refusal_form(error)
        else:
            return render(request, "needs/reviews/confirmed.html", {"review": comment.review, "comment": comment})
    return render(
        request,
        "needs/reviews/confirm.html",
        {
            "comment": comment,
            "review": comment.review,
            "form": form,
            "used": comment.status != "unconfirmed",
            "expired": clock.now() >= selectors.confirmation_expires_at(comment),
        },
    )


# The body's commissioners' pages ----------------------------------------------------


@login_required
@require_GET
def commissioner_list(request: HttpRequest) -> HttpResponse:
    """The reviews of the commissioner's bodies, those with comments waiting for answers first."""
    _commissioner(request)
    return render(
        request,
        "needs/reviews/commissioner_list.html",
        {"reviews": list(selectors.reviews_commissioned_by(user=request.user)), "labels": selectors.STATUS_LABELS},
    )


def _bodies_for(request) -> list[Organisation]:
    return list(Organisation.objects.filter(pk__in=_commissioner(request)).order_by("name"))


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request: HttpRequest) -> HttpResponse:
    """Write a draft review for the commissioner's body (the first, or the one chosen)."""
    bodies = _bodies_for(request)
    form = ReviewForm(
        posted(request),
        assessments=selectors.assessments_for_reviews(user=request.user),
        initial={"kind": request.GET.get("kind", ""), "assessment": request.GET.get("assessment", "")},
    )
    chosen = request.POST.get("body") if request.method == "POST" else None
    body = next((b for b in bodies if str(b.pk) == chosen), bodies[0])
    if request.method == "POST" and form.is_valid():
        try:
            review = reviews.review_create(actor=request.user, body=body, data=form.cleaned_data)
        except reviews.ReviewError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"Draft review {review.reference} is saved. Only your body can see it.")
            return _manage(review.reference)
    return render(request, "needs/reviews/form.html", {"form": form, "bodies": bodies, "body": body, "review": None})


@login_required
@require_GET
def review_manage(request: HttpRequest, reference: str) -> HttpResponse:
    """One review as its body sees it: where it stands, the NA-2 warning, counts and what to do next."""
    review = selectors.review_get_for_commissioner(user=request.user, reference=reference)
    sheet = selectors.review_page_for(review=review, with_draft_answers=True)
    return render(
        request,
        "needs/reviews/manage.html",
        {
            "review": review,
            "sheet": sheet,
            "warning": selectors.short_period_warning(
                review.opens_at, review.closes_at, selectors.comment_days_setting()
            ),
            "unanswered": selectors.unanswered_comments(review).count(),
            "unconfirmed": review.comments.filter(status="unconfirmed").count(),
            "labels": selectors.STATUS_LABELS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, reference: str) -> HttpResponse:
    """Change a draft review; a published one's closing time is changed on the extend page."""
    review = selectors.review_get_for_commissioner(user=request.user, reference=reference)
    if review.published_at is not None:
        return redirect("reviews:extend", review.reference)
    initial = {name: getattr(review, name) for name in reviews.REVIEW_FIELDS}
    form = ReviewForm(
        posted(request), assessments=selectors.assessments_for_reviews(user=request.user), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            reviews.review_update(actor=request.user, review=review, data=form.cleaned_data)
        except reviews.ReviewError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The draft review is saved.")
            return _manage(review.reference)
    return render(request, "needs/reviews/form.html", {"form": form, "review": review, "bodies": []})


@login_required
@require_http_methods(["GET", "POST"])
def review_publish(request: HttpRequest, reference: str) -> HttpResponse:
    """Check and publish a draft review: from then anyone can read it, and comment while it is open."""
    review = selectors.review_get_for_commissioner(user=request.user, reference=reference)
    form = None
    if request.method == "POST":
        try:
            reviews.review_publish(actor=request.user, review=review)
        except reviews.ReviewError as error:
            form = refusal_form(error)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, "The review is published. Anyone can read it, and comment while it is open.")
            return _manage(review.reference)
    return render(
        request,
        "needs/reviews/publish.html",
        {
            "review": review,
            "form": form,
            "warning": selectors.short_period_warning(
                review.opens_at, review.closes_at, selectors.comment_days_setting()
            ),
            "days": selectors.period_days(review.opens_at, review.closes_at),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_extend(request: HttpRequest, reference: str) -> HttpResponse:
    """Move a published review's closing time later (never earlier)."""
    review = selectors.review_get_for_commissioner(user=request.user, reference=reference)
    if review.published_at is None:
        return redirect("reviews:edit", review.reference)
    form = ExtendForm(posted(request), initial={"closes_at": review.closes_at})
    if request.method == "POST" and form.is_valid():
        try:
            reviews.review_extend(
                actor=request.user,
                review=review,
                closes_at=form.cleaned_data["closes_at"],
                reason=form.cleaned_data["reason"],
            )
        except reviews.ReviewError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The review's closing time is extended.")
            return _manage(review.reference)
    return render(request, "needs/reviews/extend.html", {"review": review, "form": form})


@login_required
@require_GET
def review_moderate(request: HttpRequest, reference: str) -> HttpResponse:
    """The review's published and removed comments, each published one with a link to remove it for abuse."""
    review = selectors.review_get_for_commissioner(user=request.user, reference=reference)
    return render(
        request,
        "needs/reviews/moderate.html",
        {
            "review": review,
            "comments": selectors.moderation_sheet_for(review=review),
            "reasons": selectors.moderation_reasons(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def comment_remove(request: HttpRequest, reference: str, comment: int) -> HttpResponse:
    """Remove one comment for abuse, with the reason shown in its place."""
    review = selectors.review_get_for_commissioner(user=request.user, reference=reference)
    found = selectors.comment_get_for_moderation(review=review, comment_id=comment)
    form = RemoveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            reviews.comment_remove(actor=request.user, comment=found, reason=form.cleaned_data["reason"])
        except reviews.ReviewError as error:
            refused_into(form, error)
        else:
            messages.success(request, f"{found.name}'s comment is removed. Its place shows the reason.")
            return redirect("reviews:moderate", review.reference)
    return render(request, "needs/reviews/remove.html", {"review": review, "comment": found, "form": form})


def _answer_choices(review, answer=None) -> list[tuple[str, str]]:
    groups, unanswered = selectors.answers_sheet_for(review=review)
    mine = next((g.comments for g in groups if answer is not None and g.answer.pk == answer.pk), [])
    return [(str(c.pk), f"{c.name}: {c.text[:140]}") for c in [*mine, *unanswered]]


@login_required
@require_http_methods(["GET", "POST"])
def answers(request: HttpRequest, reference: str) -> HttpResponse:
    """The review's "You said, we did" groups, the comments still to answer, and a form for a new group."""
    review = selectors.review_get_for_commissioner(user=request.user, reference=reference)
    if review.published_at is None:
        raise Http404
    form = AnswerForm(posted(request), choices=_answer_choices(review))
    if request.method == "POST" and form.is_valid():
        try:
            reviews.answer_save(
                actor=request.user,
                review=review,
                you_said=form.cleaned_data["you_said"],
                we_did=form.cleaned_data["we_did"],
                comment_ids=form.cleaned_data["comments"],
            )
        except reviews.ReviewError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The answer is saved. It is shown in public once you publish the answers.")
            return redirect("reviews:answers", review.reference)
    groups, unanswered = selectors.answers_sheet_for(review=review)
    return render(
        request,
        "needs/reviews/answers.html",
        {
            "review": review,
            "groups": groups,
            "unanswered": unanswered,
            "form": form,
            "status": selectors.review_status(review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request: HttpRequest, reference: str, position: int) -> HttpResponse:
    """Change one "You said, we did" group, or the comments it answers, before the answers are published."""
    review = selectors.review_get_for_commissioner(user=request.user, reference=reference)
    answer = selectors.answer_get(review=review, position=position)
    form = AnswerForm(
        posted(request),
        choices=_answer_choices(review, answer),
        initial={
            "you_said": answer.you_said,
            "we_did": answer.we_did,
            "comments": [str(c.pk) for c in answer.comments.all()],
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            reviews.answer_save(
                actor=request.user,
                review=review,
                answer=answer,
                you_said=form.cleaned_data["you_said"],
                we_did=form.cleaned_data["we_did"],
                comment_ids=form.cleaned_data["comments"],
            )
        except reviews.ReviewError as error:
            refused_into(form, error)
        else:
            messages.success(request, "The answer is saved.")
            return redirect("reviews:answers", review.reference)
    return render(request, "needs/reviews/answer_edit.html", {"review": review, "answer": answer, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def answers_publish(request: HttpRequest, reference: str) -> HttpResponse:
    """Publish "You said, we did" once the review has closed and every comment is answered."""
    review = selectors.review_get_for_commissioner(user=request.user, reference=reference)
    form = None
    if request.method == "POST":
        try:
            reviews.answers_publish(actor=request.user, review=review)
        except reviews.ReviewError as error:
            form = refusal_form(error)
        else:
            messages.success(request, "The answers are published, and everyone who commented is told.")
            return redirect("reviews:detail", review.reference)
    groups, unanswered = selectors.answers_sheet_for(review=review)
    return render(
        request,
        "needs/reviews/answers_publish.html",
        {"review": review, "groups": groups, "unanswered": unanswered, "form": form},
    )
