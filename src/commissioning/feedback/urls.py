"""Routes for letters, results, surveys and lessons learned: the paths they had under evaluation."""

from django.urls import path

from . import views

app_name = "feedback"

COMMISSIONING = "commissioning/opportunities/<str:reference>/evaluation/"

urlpatterns = [
    # The commissioner's letters and lessons learned, after the award.
    path(COMMISSIONING + "letters/", views.letters, name="letters"),
    path(COMMISSIONING + "letters/send/", views.letters_send_all, name="letters-send"),
    path(COMMISSIONING + "letters/<int:letter_id>/", views.letter, name="letter"),
    path(COMMISSIONING + "letters/<int:letter_id>/letter.docx", views.letter_download, name="letter-docx"),
    path(COMMISSIONING + "lessons/", views.lessons, name="lessons"),
    # The bidder's results and letters.
    path("bids/<uuid:public_id>/results/", views.bid_results, name="bid-results"),
    path("bids/<uuid:public_id>/letters/<int:letter_id>/", views.bid_letter, name="bid-letter"),
    path(
        "bids/<uuid:public_id>/letters/<int:letter_id>/letter.docx",
        views.bid_letter_download,
        name="bid-letter-docx",
    ),
    # The lessons-learned survey, opened from its e-mailed link.
    path("surveys/<str:token>/", views.survey, name="survey"),
]
