"""Set up a new deployment: the first commissioning body and its first administrator."""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from commissioning.accounts import services
from commissioning.accounts.identifiers import IdentifierError, Scheme, normalise_identifier
from commissioning.accounts.models import OrganisationIdentifier, Role, User, normalise_email
from commissioning.accounts.passwords import password_problems_for


class Command(BaseCommand):
    help = (
        "Create the first commissioning body and its first administrator (safe to run again). "
        "The password is read from BOOTSTRAP_PASSWORD or asked for."
    )

    def add_arguments(self, parser):
        parser.add_argument("--organisation", required=True, help='e.g. "Leeds City Council"')
        parser.add_argument(
            "--legal-form", default="local_authority", choices=["local_authority", "nhs_body", "public_body"]
        )
        parser.add_argument("--scheme", required=True, choices=Scheme.values, help="e.g. GB-LAE")
        parser.add_argument("--identifier", required=True, help="e.g. LDS")
        parser.add_argument("--address", required=True, help="first line of the address")
        parser.add_argument("--postcode", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="the administrator's full name")

    def handle(self, *args, **opts):
        try:
            value = normalise_identifier(opts["scheme"], opts["identifier"])
        except IdentifierError as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            existing = OrganisationIdentifier.objects.filter(scheme=opts["scheme"], value=value).first()
            if existing:
                organisation = existing.organisation
            else:
                organisation = services.organisation_create(
                    actor=None,
                    side="commissioner",
                    organisation={
                        "name": opts["organisation"],
                        "legal_form": opts["legal_form"],
                        "address_line_1": opts["address"],
                        "postcode": opts["postcode"].upper(),
                        "city_wide": True,
                    },
                    identifiers=[(opts["scheme"], value)],
                    verified=True,
                )
            user = User.objects.filter(email__iexact=normalise_email(opts["email"])).first()
            if user is None:
                password = os.environ.get("BOOTSTRAP_PASSWORD") or getpass.getpass("Password for the administrator: ")
                if problems := password_problems_for(password, email=opts["email"], full_name=opts["name"]):
                    raise CommandError(" ".join(problems))
                user = User.objects.create_user(email=opts["email"], password=password, full_name=opts["name"])
            services.membership_grant(actor=None, user=user, organisation=organisation, role=Role.ADMINISTRATOR)
        self.stdout.write(f"{user.email} administers the hub, as part of {organisation.name} (/{organisation.slug}/)")
