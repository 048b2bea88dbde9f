"""Open reviews' pages, under /reviews/: the public list and reviews, the confirmation link, the body's pages."""

from django.urls import path, register_converter

from . import views_reviews as views
from .reviews_selectors import REFERENCE_PATTERN


class ReviewReference:
    regex = REFERENCE_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ReviewReference, "review")

app_name = "reviews"
urlpatterns = [
    path("", views.reviews_list, name="list"),
    path("confirm/<str:token>/", views.comment_confirm, name="confirm"),
    path("commissioning/", views.commissioner_list, name="commissioner-list"),
    path("commissioning/new/", views.review_new, name="new"),
    path("commissioning/<review:reference>/", views.review_manage, name="manage"),
    path("commissioning/<review:reference>/edit/", views.review_edit, name="edit"),
    path("commissioning/<review:reference>/publish/", views.review_publish, name="publish"),
    path("commissioning/<review:reference>/extend/", views.review_extend, name="extend"),
    path("commissioning/<review:reference>/moderate/", views.review_moderate, name="moderate"),
    path("commissioning/<review:reference>/moderate/<int:comment>/", views.comment_remove, name="comment-remove"),
    path("commissioning/<review:reference>/answers/", views.answers, name="answers"),
    path("commissioning/<review:reference>/answers/publish/", views.answers_publish, name="answers-publish"),
    path("commissioning/<review:reference>/answers/<int:position>/", views.answer_edit, name="answer-edit"),
    path("<review:reference>/", views.review_detail, name="detail"),
]
