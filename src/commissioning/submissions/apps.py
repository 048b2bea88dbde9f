from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "commissioning.submissions"
    label = "submissions"
    verbose_name = "Submissions: bids and applications"

    def ready(self):
        from commissioning.audit.selectors import audit_withhold_while

        from .selectors import unopened_submission_ids

        # Sealed means sealed in the audit log too: who is bidding stays out of it until the bids are opened.
        audit_withhold_while("submissions.submission", unopened_submission_ids)
