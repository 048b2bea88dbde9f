from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "commissioning.evidence"
    label = "evidence"
    verbose_name = "Evidence store: asked once, used many times"
