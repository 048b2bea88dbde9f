"""Contracts in the rest of the hub: the provider told by e-mail, the record's page, the dashboard's tasks,
the evaluation overview's last task."""

import pytest
from django.core import mail

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role

from .. import services
from .factories import after_standstill, direct_agreement

pytestmark = pytest.mark.django_db


def test_issuing_e_mails_the_providers_administrators_a_link_and_acceptance_confirms_the_digest(
    django_capture_on_commit_callbacks,
):
    agreement = direct_agreement()
    member = person_with_role(Role.PROVIDER_MEMBER, agreement.provider)
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.agreement_issue(actor=agreement.commissioner_person, agreement=agreement)
    sent = [m for m in mail.outbox if "Agreement to accept" in m.subject]
    assert [m.to for m in sent] == [[agreement.admin.email]] and member.email not in str([m.to for m in mail.outbox])
    assert f"/contracts/yours/{issued.reference}/" in sent[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.agreement_accept(
            actor=agreement.admin, agreement=issued, name="Sam Okafor", role="Director", digest=issued.document_digest
        )
    confirmation = next(m for m in mail.outbox if "Agreement accepted" in m.subject)
    assert issued.document_digest in confirmation.body


def test_the_record_page_lists_its_agreements_for_its_commissioners(client):
    agreement = direct_agreement(accept_as=True)
    client.force_login(agreement.commissioner_person)
    html = client.get(f"/commissioning/records/{agreement.record.reference}/").content.decode()
    assert "Contracts and grant agreements" in html and agreement.reference in html
    assert "Returns accepted" in html


def test_the_dashboard_lists_a_draft_to_issue_under_its_agreement(client):
    agreement = direct_agreement()
    client.force_login(agreement.commissioner_person)
    html = client.get("/commissioning/").content.decode()
    assert "Check and issue the agreement" in html and f"{agreement.reference}: " in html
    other = person_with_role(Role.COMMISSIONER)
    client.force_login(other)
    assert "Check and issue the agreement" not in client.get("/commissioning/").content.decode()


def test_the_evaluation_overview_ends_with_the_agreements(client):
    agreed = after_standstill()
    client.force_login(agreed.commissioner)
    html = client.get(f"/commissioning/opportunities/{agreed.opportunity_reference}/evaluation/").content.decode()
    assert f"/opportunities/{agreed.opportunity_reference}/agreements/" in html
    assert "0 of 2 accepted" in html
