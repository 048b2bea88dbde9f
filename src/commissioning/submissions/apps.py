from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "commissioning.submissions"
    label = "submissions"
    verbose_name = "Submissions: bids and applications"

    def ready(self):
        from commissioning.audit.selectors import audit_withhold_while

        from .selectors import sealed_submission_ids

        # Sealed means sealed in the audit log too: who is bidding stays out of it until the deadline.
        audit_withhold_while("submissions.submission", sealed_submission_ids)
