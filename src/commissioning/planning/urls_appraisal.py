from django.urls import path

from . import views_appraisal as views

app_name = "planning_appraisal"

urlpatterns = [
    path("commissioning/records/<str:reference>/options/", views.appraisal, name="appraisal"),
    path("commissioning/records/<str:reference>/options/new/", views.option_edit, name="option-new"),
    path("commissioning/records/<str:reference>/options/choice/", views.choose, name="choose"),
    path("commissioning/records/<str:reference>/options/<int:number>/", views.option_edit, name="option"),
    path(
        "commissioning/records/<str:reference>/options/<int:number>/remove/", views.option_remove, name="option-remove"
    ),
]
