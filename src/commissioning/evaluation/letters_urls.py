"""Routes for letters, results, surveys and lessons learned, added to the evaluation app's URLs."""

from django.urls import path

from . import letters_views, surveys_views

COMMISSIONING = "commissioning/opportunities/<str:reference>/evaluation/"

urlpatterns = [
    # The commissioner's letters and lessons learned, after the award.
    path(COMMISSIONING + "letters/", letters_views.letters, name="letters"),
    path(COMMISSIONING + "letters/send/", letters_views.letters_send_all, name="letters-send"),
    path(COMMISSIONING + "letters/<int:letter_id>/", letters_views.letter, name="letter"),
    path(COMMISSIONING + "letters/<int:letter_id>/letter.docx", letters_views.letter_download, name="letter-docx"),
    path(COMMISSIONING + "lessons/", surveys_views.lessons, name="lessons"),
    # The bidder's results and letters.
    path("bids/<uuid:public_id>/results/", letters_views.bid_results, name="bid-results"),
    path("bids/<uuid:public_id>/letters/<int:letter_id>/", letters_views.bid_letter, name="bid-letter"),
    path(
        "bids/<uuid:public_id>/letters/<int:letter_id>/letter.docx",
        letters_views.bid_letter_download,
        name="bid-letter-docx",
    ),
    # The lessons-learned survey, opened from its e-mailed link.
    path("surveys/<str:token>/", surveys_views.survey, name="survey"),
]
