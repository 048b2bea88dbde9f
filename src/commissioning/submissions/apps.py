from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "commissioning.submissions"
    label = "submissions"
    verbose_name = "Submissions: bids and applications"

    def ready(self):
        from commissioning.audit.selectors import audit_withhold_while
        from commissioning.opportunities.notifications import amendment_audience

        from .notifications import bidder_recipients
        from .selectors import unopened_submission_ids

        # Sealed means sealed in the audit log too: who is bidding stays out of it until the bids are opened.
        audit_withhold_while("submissions.submission", unopened_submission_ids)
        # Everyone with a draft or a bid hears of every amendment, each in a message of their own.
        amendment_audience(bidder_recipients)
