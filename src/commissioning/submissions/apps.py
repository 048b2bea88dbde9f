from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "commissioning.submissions"
    label = "submissions"
    verbose_name = "Submissions: bids and applications"

    def ready(self):
        from commissioning.audit.selectors import audit_withhold_while
        from commissioning.opportunities.workflow import stage_reader

        from .models import Opening
        from .selectors import sealed_submission_ids

        # Sealed means sealed in the audit log too: who is bidding stays out of it until the deadline.
        audit_withhold_while("submissions.submission", sealed_submission_ids)

        # How far an opportunity has gone: its submissions opened.
        @stage_reader
        def opened(opportunity):
            return "opened" if Opening.objects.filter(opportunity_id=opportunity.pk).exists() else None
