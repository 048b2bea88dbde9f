"""Load the demo data: Leeds's commissioners, fictional providers and people in every role.

Safe to run again: each stage's loader finds what it made before instead of
making it twice. Prints the demo accounts and their API tokens.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from commissioning.accounts import demo as accounts_demo
from commissioning.contracts import demo as contracts_demo
from commissioning.evaluation import demo as evaluation_demo
from commissioning.evidence import demo as evidence_demo
from commissioning.feedback import demo as feedback_demo
from commissioning.needs import demo as needs_demo
from commissioning.needs import demo_reviews as needs_reviews_demo
from commissioning.opportunities import demo as opportunities_demo
from commissioning.planning import demo as planning_demo
from commissioning.records import demo as records_demo
from commissioning.submissions import demo as submissions_demo

# Each stage that has demo data offers ``load() -> list[accounts to print]``, in cycle order.
# The command sits with the settings, the one layer that may import every stage.
DEMO_MODULES = [
    accounts_demo,
    records_demo,
    needs_demo,
    needs_reviews_demo,
    planning_demo,
    opportunities_demo,
    evidence_demo,
    submissions_demo,
    evaluation_demo,
    feedback_demo,
    contracts_demo,
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the accounts")

    def handle(self, *args, quiet=False, **options):
        accounts = []
        with transaction.atomic():
            for module in DEMO_MODULES:
                accounts.extend(module.load())
        if quiet:
            return
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {accounts_demo.DEMO_PASSWORD})")
        self.stdout.write("")
        width = max(len(a["email"]) for a in accounts)
        for account in accounts:
            self.stdout.write(f"  {account['email']:<{width}}  {account['role']}")
            self.stdout.write(f"  {'':<{width}}  API token: {account['token']}")
        self.stdout.write("")
