"""The contracts part of an organisation's public page: the agreements it holds, or has let, from the register."""

from django.urls import reverse

from commissioning.accounts.models import Side
from commissioning.accounts.organisation_page import OrganisationPart, organisation_part

from . import register

# How many agreements the organisation's page lists before it links to the register for the rest.
SHOWN = 10


@organisation_part(order=10)
def agreements(organisation, user) -> OrganisationPart | None:
    """Published agreements only (never a draft), as the register shows them; nothing when there are none."""
    if organisation.side == Side.COMMISSIONER:
        filters = register.RegisterFilter(body=organisation.slug)
        heading = "Contracts and grants it has let"
    else:
        filters = register.RegisterFilter(supplier=organisation.slug)
        heading = "Contracts and grants it holds"
    rows = register.register_rows(filters)
    shown = list(rows[: SHOWN + 1])
    if not shown:
        return None
    more = len(shown) > SHOWN
    key = "body" if organisation.side == Side.COMMISSIONER else "supplier"
    return OrganisationPart(
        heading=heading,
        template="contracts/register/_organisation.html",
        context={
            "agreements": shown[:SHOWN],
            "count": rows.count() if more else len(shown),
            "register_url": f"{reverse('contracts:register')}?{key}={organisation.slug}",
            "is_commissioner": organisation.side == Side.COMMISSIONER,
        },
    )
