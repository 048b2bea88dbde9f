from django.urls import path

from . import views

app_name = "evaluation"

COMMISSIONING = "commissioning/opportunities/<str:reference>/evaluation/"

urlpatterns = [
    # The commissioner's pages.
    path(COMMISSIONING, views.overview, name="overview"),
    path(COMMISSIONING + "start/", views.start, name="start"),
    path(COMMISSIONING + "panel/", views.panel, name="panel"),
    path(COMMISSIONING + "moderation/", views.moderation, name="moderation"),
    path(COMMISSIONING + "prices/", views.prices, name="prices"),
    path(COMMISSIONING + "results/", views.results, name="results"),
    path(COMMISSIONING + "recommendation/", views.recommend, name="recommend"),
    path(COMMISSIONING + "approval/", views.approve, name="approve"),
    path(COMMISSIONING + "send-back/", views.send_back, name="send-back"),
    path(COMMISSIONING + "award/", views.award, name="award"),
    path(COMMISSIONING + "standstill/", views.standstill, name="standstill"),
    path(COMMISSIONING + "standstill/notice/", views.award_notice, name="award-notice"),
    # The evaluator's pages.
    path("evaluation/", views.panels, name="panels"),
    path("evaluation/<str:reference>/", views.place, name="place"),
    path("evaluation/<str:reference>/bids/<uuid:public_id>/", views.bid, name="bid"),
    path("evaluation/<str:reference>/check/", views.check, name="check"),
    # The administrator's page.
    path("administration/scoring-scale/", views.scale, name="scale"),
]
