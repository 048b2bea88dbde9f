from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("evidence/", views.evidence_list, name="list"),
    path("evidence/files/<int:pk>/", views.evidence_file, name="file"),
    path("evidence/<slug:item>/", views.evidence_item, name="item"),
    path("evidence/<slug:item>/remove/", views.evidence_remove, name="remove"),
]
