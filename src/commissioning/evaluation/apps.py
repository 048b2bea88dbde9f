from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "commissioning.evaluation"
    label = "evaluation"
    verbose_name = "Evaluation, award and feedback"
