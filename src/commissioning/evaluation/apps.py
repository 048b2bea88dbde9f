from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "commissioning.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation and award"

    def ready(self):
        # Imported here, not at the top: models and their readers load only once the app registry is ready.
        from commissioning.opportunities.workflow import stage_reader

        from .models import Evaluation, EvaluationStatus

        # How far an opportunity has gone: in evaluation, or awarded.
        @stage_reader
        def evaluated(opportunity):
            status = Evaluation.objects.filter(opportunity_id=opportunity.pk).values_list("status", flat=True).first()
            if status is None:
                return None
            return "awarded" if status == EvaluationStatus.AWARDED else "in_evaluation"
