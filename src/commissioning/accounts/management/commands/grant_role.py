"""Give a person a role at an organisation from the command line (for the first administrator)."""

from django.core.management.base import BaseCommand, CommandError

from commissioning.accounts import services
from commissioning.accounts.models import Organisation, Role, User, normalise_email


class Command(BaseCommand):
    help = "Give an existing account a role at an organisation, e.g. the first administrator."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("organisation", help="the organisation's slug, as in /organisations/<slug>/")
        parser.add_argument("role", choices=Role.values)

    def handle(self, *args, email, organisation, role, **options):
        user = User.objects.filter(email__iexact=normalise_email(email)).first()
        if user is None:
            raise CommandError(f"No account has the e-mail address {email}")
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            raise CommandError(f"No organisation has the slug {organisation}")
        try:
            membership = services.membership_grant(actor=None, user=user, organisation=org, role=role)
        except services.ServiceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{user.email} is {membership.get_role_display().lower()} at {org.name}")
