"""Shared returns (CM-3): one funder's return covers another's for the same period, proposed by one funder's
commissioner and agreed by the other's; the provider told it need not submit; small counts suppressed."""

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import Membership, Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.core.tests.travel import builder_travel

from .. import returns, sharing
from ..models import ReturnStatus
from .factories import direct_agreement
from .test_returns import complete

pytestmark = pytest.mark.django_db
NOTE = "One shared return a period with the provider's other funder, agreed between us"


@dataclass
class Funders:
    """One provider funded by two bodies: the council's agreement A and another body's agreement B, both from
    1 April 2026 with two returns a year. B's first return is submitted with ``people`` reached."""

    a: object
    b: object

    @property
    def a_return(self):
        return self.a.returns.get(number=1)

    @property
    def b_return(self):
        return self.b.returns.get(number=1)


def funders(people=3) -> Funders:
    builder_travel(datetime(2026, 11, 20, 10, tzinfo=clock.LONDON), tick=False)
    a = direct_agreement(accept_as=True)
    b = direct_agreement(
        provider=a.provider, accept_as=a.admin, title="Digital inclusion after a hospital stay", coordination_note=NOTE
    )
    b.admin = a.admin
    returns.return_submit(actor=a.admin, monitoring_return=b.returns.get(number=1), data=complete(b, people=people))
    return Funders(a, b)


def propose(f: Funders, covering=None, actor=None):
    return sharing.share_propose(
        actor=actor or f.a.commissioner_person, monitoring_return=f.a_return, covering=covering or f.b_return
    )


def test_a_proposed_share_agreed_by_the_other_funder_covers_the_return_and_tells_the_provider(
    django_capture_on_commit_callbacks,
):
    f = funders()
    assert list(sharing.share_candidates(f.a_return)) == [f.b_return]
    proposed = propose(f)
    assert proposed.status == ReturnStatus.NOT_STARTED and proposed.covered_by == f.b_return
    assert sharing.is_proposed(proposed)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        shared = sharing.share_agree(actor=f.b.commissioner_person, monitoring_return=proposed)
    assert shared.status == ReturnStatus.SHARED and shared.share_agreed_by == f.b.commissioner_person
    assert shared.share_proposed_by == f.a.commissioner_person
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"return.share_propose", "monitoring_return.return.share"} <= verbs
    told = [m for m in mail.outbox if "Return not needed" in m.subject]
    assert [m.to for m in told] == [[f.a.admin.email]] and "You need not submit return 1" in told[0].body
    # The provider can no longer change or submit the covered return.
    with pytest.raises(returns.ReturnError):
        returns.return_save(actor=f.a.admin, monitoring_return=shared, data={"narrative": "x"})
    with pytest.raises(returns.ReturnError):
        returns.return_submit(actor=f.a.admin, monitoring_return=shared, data=complete(f.a))


def test_the_proposer_never_agrees_even_when_they_commission_both():
    f = funders()
    Membership.objects.create(user=f.a.commissioner_person, organisation=f.b.commissioner, role=Role.COMMISSIONER)
    both = type(f.a.commissioner_person).objects.get(pk=f.a.commissioner_person.pk)
    proposed = propose(f, actor=both)
    with pytest.raises(sharing.ShareError) as refused:
        sharing.share_agree(actor=both, monitoring_return=proposed)
    assert "other than the person who proposed it" in str(refused.value)
    with pytest.raises(PermissionDenied):  # A's other commissioners are not B's
        sharing.share_agree(actor=person_with_role(Role.COMMISSIONER, f.a.commissioner), monitoring_return=proposed)
    assert sharing.share_agree(actor=f.b.commissioner_person, monitoring_return=proposed).status == ReturnStatus.SHARED


def test_only_a_commissioner_of_the_agreement_proposes():
    f = funders()
    for outsider in (f.b.commissioner_person, f.a.admin, person_with_role(Role.COMMISSIONER)):
        with pytest.raises(PermissionDenied):
            propose(f, actor=outsider)


def test_the_same_body_a_different_provider_and_other_periods_are_refused():
    f = funders()
    council_too = direct_agreement(
        f.a.commissioner_person,
        f.a.provider,
        accept_as=f.a.admin,
        title="Befriending in Bramley",
        coordination_note=NOTE,
    )
    returns.return_submit(
        actor=f.a.admin, monitoring_return=council_too.returns.get(number=1), data=complete(council_too)
    )
    other_provider = direct_agreement(accept_as=True)
    returns.return_submit(
        actor=other_provider.admin,
        monitoring_return=other_provider.returns.get(number=1),
        data=complete(other_provider),
    )
    later = f.b.returns.get(number=2)
    returns.return_submit(actor=f.a.admin, monitoring_return=later, data=complete(f.b))
    for covering, words in [
        (council_too.returns.get(number=1), "another commissioning body"),
        (other_provider.returns.get(number=1), "same provider"),
        (later, "another period"),
    ]:
        with pytest.raises(sharing.ShareError) as refused:
            propose(f, covering=covering)
        assert words in refused.value.errors["covering"][0]
    assert f.a_return.share_proposed_at is None


def test_a_return_not_yet_submitted_cannot_cover_and_one_already_submitted_cannot_be_covered():
    f = funders()
    not_sent = f.b.returns.get(number=2)
    not_sent.period_start = f.a_return.period_start  # even for the same time
    not_sent.save()
    with pytest.raises(sharing.ShareError) as refused:
        propose(f, covering=not_sent)
    assert "submitted" in refused.value.errors["covering"][0]
    returns.return_submit(actor=f.a.admin, monitoring_return=f.a_return, data=complete(f.a))
    with pytest.raises(sharing.ShareError) as refused:
        propose(f)
    assert "already submitted this return" in str(refused.value)


def test_proposing_twice_is_refused_until_the_first_is_withdrawn_by_either_side():
    f = funders()
    propose(f)
    with pytest.raises(sharing.ShareError) as refused:
        propose(f)
    assert "already proposed" in str(refused.value)
    withdrawn = sharing.share_withdraw(actor=f.b.commissioner_person, monitoring_return=f.a_return)
    assert withdrawn.covered_by is None and withdrawn.share_proposed_at is None
    propose(f)
    sharing.share_withdraw(actor=f.a.commissioner_person, monitoring_return=f.a_return)
    with pytest.raises(sharing.ShareError):
        sharing.share_withdraw(actor=f.a.commissioner_person, monitoring_return=f.a_return)
    propose(f)
    with pytest.raises(PermissionDenied):
        sharing.share_withdraw(actor=person_with_role(Role.COMMISSIONER), monitoring_return=f.a_return)
    assert sharing.is_proposed(f.a_return)


def test_an_agreed_share_cannot_be_withdrawn_and_a_return_submitted_meanwhile_cannot_be_covered():
    f = funders()
    propose(f)
    returns.return_submit(actor=f.a.admin, monitoring_return=f.a_return, data=complete(f.a))
    with pytest.raises(sharing.ShareError) as refused:
        sharing.share_agree(actor=f.b.commissioner_person, monitoring_return=f.a_return)
    assert "already submitted" in str(refused.value)
    g = funders()
    propose(g)
    sharing.share_agree(actor=g.b.commissioner_person, monitoring_return=g.a_return)
    with pytest.raises(sharing.ShareError) as refused:
        sharing.share_withdraw(actor=g.a.commissioner_person, monitoring_return=g.a_return)
    assert "agreed already" in str(refused.value)
    with pytest.raises(sharing.ShareError):
        sharing.share_agree(actor=g.b.commissioner_person, monitoring_return=g.a_return)


def _shared(people=3) -> Funders:
    f = funders(people=people)
    propose(f)
    sharing.share_agree(actor=f.b.commissioner_person, monitoring_return=f.a_return)
    return f


def test_a_reads_the_covering_return_with_small_counts_suppressed_unless_it_commissions_b_too(client):
    f = _shared(people=3)
    client.force_login(f.a.commissioner_person)
    html = client.get(f"/contracts/commissioning/{f.a.reference}/returns/1/").content.decode()
    assert "Covered by a shared return" in html and f"{f.b.reference} return 1" in html
    assert "fewer than 5" in html and "<strong>3</strong>" not in html
    both = person_with_role(Role.COMMISSIONER, f.a.commissioner)
    Membership.objects.create(user=both, organisation=f.b.commissioner, role=Role.COMMISSIONER)
    client.force_login(both)
    html = client.get(f"/contracts/commissioning/{f.a.reference}/returns/1/share/").content.decode()
    assert "<strong>3</strong>" in html and "fewer than 5" not in html


def test_the_provider_is_shown_it_need_not_submit_and_its_list_says_what_covers_it(client):
    f = _shared()
    client.force_login(f.a.admin)
    listed = client.get(f"/contracts/yours/{f.a.reference}/returns/").content.decode()
    assert f"covered by {f.b.reference} return 1" in listed
    page = client.get(f"/contracts/yours/{f.a.reference}/returns/1/").content.decode()
    assert "You need not submit this return" in page and "Check and submit the return" not in page


def test_propose_and_agree_through_the_pages(client):
    f = funders()
    share_url = f"/contracts/commissioning/{f.a.reference}/returns/1/share/"
    client.force_login(f.a.commissioner_person)
    cross = client.get(f"/contracts/commissioning/providers/{f.a.provider.slug}/").content.decode()
    assert "Your returns another funder&#39;s return could cover" in cross and share_url in cross
    refused = client.post(share_url, {"action": "propose", "covering": ""}).content.decode()
    assert "govuk-error-summary" in refused and "Choose the return that covers this one" in refused
    assert client.post(share_url, {"action": "propose", "covering": str(f.b_return.pk)}).status_code == 302
    assert "Waiting for" in client.get(share_url).content.decode()

    client.force_login(f.b.commissioner_person)
    assert "Agree a shared return" in client.get("/commissioning/").content.decode()
    cross = client.get(f"/contracts/commissioning/providers/{f.a.provider.slug}/").content.decode()
    shares_url = f"/contracts/commissioning/{f.b.reference}/returns/1/shares/"
    assert "Proposals waiting for you to agree" in cross and shares_url in cross
    assert client.get(share_url).status_code == 404  # B's commissioner does not read A's agreement
    page = client.get(shares_url).content.decode()
    assert "Agree that return 1 covers" in page
    assert client.post(shares_url, {"action": "agree", "proposal": "999999"}).status_code == 302
    assert f.a_return.status == ReturnStatus.NOT_STARTED
    assert client.post(shares_url, {"action": "agree", "proposal": str(f.a_return.pk)}).status_code == 302
    assert f.a_return.status == ReturnStatus.SHARED
    assert "Agree a shared return" not in client.get("/commissioning/").content.decode()


def test_the_proposers_own_page_offers_no_agreement_and_outsiders_get_404(client, administrator):
    f = funders()
    propose(f)
    shares_url = f"/contracts/commissioning/{f.b.reference}/returns/1/shares/"
    share_url = f"/contracts/commissioning/{f.a.reference}/returns/1/share/"
    for outsider in (person_with_role(Role.COMMISSIONER), f.a.admin):
        client.force_login(outsider)
        assert client.get(share_url).status_code == 404 and client.get(shares_url).status_code == 404
        assert client.post(shares_url, {"action": "agree", "proposal": str(f.a_return.pk)}).status_code == 404
    client.force_login(administrator)
    assert client.get(shares_url).status_code == 200
    assert client.post(shares_url, {"action": "agree", "proposal": str(f.a_return.pk)}).status_code == 404
    assert client.post(share_url, {"action": "withdraw"}).status_code == 404
    assert f.a_return.status == ReturnStatus.NOT_STARTED and sharing.is_proposed(f.a_return)
