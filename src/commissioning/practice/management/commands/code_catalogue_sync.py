"""Bring the database's copy of the Code up to date with the catalogue."""

from django.core.management.base import BaseCommand

from commissioning.practice.sync import catalogue_sync


class Command(BaseCommand):
    help = (
        "Add missing principles, rules and setting keys and refresh the Code's words; "
        "settings an administrator changed are kept. Safe to run again."
    )

    def handle(self, *args, **options):
        report = catalogue_sync()
        if not report.changed:
            self.stdout.write("The Code's catalogue is up to date.")
            return
        for label, items in [
            ("Principles added", report.principles_created),
            ("Principles updated", report.principles_updated),
            ("Rules added", report.rules_created),
            ("Rules updated", report.rules_updated),
        ]:
            if items:
                self.stdout.write(f"{label}: {', '.join(str(i) for i in items)}")
