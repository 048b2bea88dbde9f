from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "commissioning.submissions"
    label = "submissions"
    verbose_name = "Submissions: bids and applications"

    def ready(self):
        # Imported here, not at the top: models and their readers load only once the app registry is ready.
        from commissioning.audit.selectors import audit_withhold_while
        from commissioning.opportunities.notifications import amendment_audience
        from commissioning.opportunities.workflow import stage_reader

        from .models import Opening
        from .notifications import bidder_recipients
        from .selectors import unopened_submission_ids

        # Sealed means sealed in the audit log too: who is bidding stays out of it until the bids are opened.
        audit_withhold_while("submissions.submission", unopened_submission_ids)
        # Everyone with a draft or a bid hears of every amendment, each in a message of their own.
        amendment_audience(bidder_recipients)

        # How far an opportunity has gone: its submissions opened.
        @stage_reader
        def opened(opportunity):
            return "opened" if Opening.objects.filter(opportunity_id=opportunity.pk).exists() else None
