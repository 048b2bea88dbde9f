"""Load the demo data: Leeds's commissioners, fictional providers and people in every role.

Safe to run again: each stage's loader finds what it made before instead of
making it twice. Prints the demo accounts and their API tokens.
"""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Each stage that has demo data offers ``load() -> list[accounts to print]``, in cycle order.
DEMO_MODULES = [
    "commissioning.accounts.demo",
    "commissioning.opportunities.demo",
    "commissioning.evidence.demo",
    "commissioning.submissions.demo",
    "commissioning.evaluation.demo",
    "commissioning.feedback.demo",
]


class Command(BaseCommand):
    help = "Load the demo data (idempotent) and print the demo accounts."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the accounts")

    def handle(self, *args, quiet=False, **options):
        accounts = []
        with transaction.atomic():
            for name in DEMO_MODULES:
                accounts.extend(import_module(name).load())
        if quiet:
            return
        from commissioning.accounts.demo import DEMO_PASSWORD

        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        self.stdout.write("")
        width = max(len(a["email"]) for a in accounts)
        for account in accounts:
            self.stdout.write(f"  {account['email']:<{width}}  {account['role']}")
            self.stdout.write(f"  {'':<{width}}  API token: {account['token']}")
        self.stdout.write("")
