from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("code/", views.code, name="code"),
    path("code/rules/<str:code>/", views.rule, name="rule"),
    path("explanations/", views.explanations, name="explanations"),
    path("explanations/<int:explanation_id>/", views.explanation, name="explanation"),
    path("administration/code/", views.settings_list, name="settings"),
    path("administration/code/<str:code>/", views.settings_edit, name="settings-edit"),
]
