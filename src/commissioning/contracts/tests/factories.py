"""Agreements at each stage, made through the services: drafted after a standstill, issued, accepted."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core.tests.travel import builder_travel
from commissioning.evaluation.tests.awarded import awarded_grant, awarded_tender, notice_published
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.records.models import ServiceArea
from commissioning.records.tests.factories import record_for
from commissioning.submissions.tests.factories import bidder

from .. import services
from ..models import Origin


@dataclass
class Agreed:
    """An award after its standstill, with its drafted agreements; the clock stays after the standstill."""

    opened: object
    evaluation: object
    agreements: list = field(default_factory=list)

    @property
    def commissioner(self):
        return self.opened.commissioner

    @property
    def opportunity_reference(self):
        return self.opened.opportunity.reference

    @property
    def agreement(self):
        return self.agreements[0]

    def provider_admin(self, agreement=None):
        """The provider's person who bid: a provider administrator, so authorised to accept."""
        agreement = agreement or self.agreement
        return next(person for person, organisation, _ in self.opened.bidders if organisation == agreement.provider)


def after_standstill(*, grant: bool = False, **overrides) -> Agreed:
    """A two-lot tender (or grant round) awarded, its notice published and its standstill over: two drafts."""
    opened, evaluation = awarded_grant() if grant else awarded_tender(**overrides)
    evaluation = notice_published(opened, evaluation)
    builder_travel(evaluation.standstill_ends + timedelta(minutes=1))
    agreements = services.agreements_draft_from_award(actor=opened.commissioner, evaluation=evaluation)
    return Agreed(opened, evaluation, agreements)


def issued(*, grant: bool = False, **overrides) -> Agreed:
    """After the standstill, with the first agreement issued."""
    agreed = after_standstill(grant=grant, **overrides)
    agreed.agreements[0] = services.agreement_issue(actor=agreed.commissioner, agreement=agreed.agreement)
    return agreed


def accept(agreed: Agreed, agreement=None):
    """The provider's administrator accepts ``agreement`` (the first when not given), as issued."""
    agreement = agreement or agreed.agreement
    return services.agreement_accept(
        actor=agreed.provider_admin(agreement),
        agreement=agreement,
        name="Asha Patel",
        role="Chief Executive",
        digest=agreement.document_digest,
    )


def accepted(*, grant: bool = False, **overrides) -> Agreed:
    """After the standstill, the first agreement issued and accepted: its returns and payments are written."""
    agreed = issued(grant=grant, **overrides)
    agreed.agreements[0] = accept(agreed)
    return agreed


def direct_agreement(
    commissioner=None,
    provider=None,
    *,
    value=Decimal("30000.00"),
    starts_on=date(2026, 4, 1),
    months=12,
    kind="contract",
    issue=False,
    accept_as=None,
    **fields,
):
    """An agreement made by hand (a direct award), drafted; issued with ``issue``; accepted by ``accept_as``.

    Quick to make many of: no tender, no evaluation. ``provider`` defaults to a
    new verified provider with a provider administrator (returned as the
    agreement's ``admin`` attribute).
    """
    commissioner = commissioner or commissioner_at()
    admin = None
    if provider is None:
        admin, provider = bidder(evidence=False)
    body = commissioner.memberships.get(role=Role.COMMISSIONER).organisation
    record = record_for(commissioner)
    ends_on = services.term_end(starts_on, months)
    agreement = services.agreement_create(
        actor=commissioner,
        record=record,
        commissioner=body,
        provider=provider,
        kind=kind,
        origin=Origin.DIRECT_AWARD if kind == "contract" else Origin.GRANT_OUTSIDE_ROUND,
        origin_reason="Continuity of a specialist service while the new model is designed",
        title=fields.pop("title", "Carers' support in Armley"),
        description=fields.pop("description", "Information, advice and peer support for unpaid carers"),
        service_area=fields.pop("service_area", ServiceArea.objects.order_by("pk").first()),
        value=value,
        starts_on=starts_on,
        ends_on=ends_on,
        **fields,
    )
    if issue or accept_as is not None:
        agreement = services.agreement_issue(actor=commissioner, agreement=agreement)
    if accept_as is not None:
        person = admin if accept_as is True else accept_as
        agreement = services.agreement_accept(
            actor=person, agreement=agreement, name="Sam Okafor", role="Director", digest=agreement.document_digest
        )
    agreement.admin = admin
    agreement.commissioner_person = commissioner
    return agreement


def provider_member(agreement):
    """A provider member (not an administrator) of the agreement's provider."""
    return person_with_role(Role.PROVIDER_MEMBER, agreement.provider)
