from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "commissioning.feedback"
    label = "feedback"
    verbose_name = "Feedback and evaluation"

    def ready(self):
        # Imported here, not at the top: the hooks load models, which exist only once the registry is ready.
        from commissioning.audit.selectors import audit_type_renamed

        from . import hooks

        hooks.register()
        # Events written while these lived in the evaluation app read as the records they are now.
        for model in ("letter", "surveyinvitation", "surveyanswer"):
            audit_type_renamed(f"evaluation.{model}", f"feedback.{model}")
