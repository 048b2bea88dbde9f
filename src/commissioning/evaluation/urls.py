from django.urls import path

from .views import administration, commissioner, decision, panel

app_name = "evaluation"

COMMISSIONING = "commissioning/opportunities/<str:reference>/evaluation/"

urlpatterns = [
    # The commissioner's pages.
    path(COMMISSIONING, commissioner.overview, name="overview"),
    path(COMMISSIONING + "start/", commissioner.start, name="start"),
    path(COMMISSIONING + "panel/", commissioner.panel, name="panel"),
    path(COMMISSIONING + "moderation/", commissioner.moderation, name="moderation"),
    path(COMMISSIONING + "prices/", commissioner.prices, name="prices"),
    path(COMMISSIONING + "results/", commissioner.results, name="results"),
    path(COMMISSIONING + "recommendation/", decision.recommend, name="recommend"),
    path(COMMISSIONING + "approval/", decision.approve, name="approve"),
    path(COMMISSIONING + "send-back/", decision.send_back, name="send-back"),
    path(COMMISSIONING + "award/", decision.award, name="award"),
    path(COMMISSIONING + "standstill/", decision.standstill, name="standstill"),
    path(COMMISSIONING + "standstill/notice/", decision.award_notice, name="award-notice"),
    # The evaluator's pages.
    path("evaluation/", panel.panels, name="panels"),
    path("evaluation/<str:reference>/", panel.place, name="place"),
    path("evaluation/<str:reference>/bids/<uuid:public_id>/", panel.bid, name="bid"),
    path("evaluation/<str:reference>/check/", panel.check, name="check"),
    # The administrator's page.
    path("administration/scoring-scale/", administration.scale, name="scale"),
]
