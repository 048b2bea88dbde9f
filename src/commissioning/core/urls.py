from django.urls import path

from . import views

app_name = "core"

urlpatterns = [path("administration/closure-days/", views.closure_days, name="closure-days")]
