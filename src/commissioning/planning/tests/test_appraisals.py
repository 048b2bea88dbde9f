"""Options appraisals (PL-2): what a commissioner records, what is refused, and the gate it guards."""

import html
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import ProviderFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.opportunities import services as opportunity_services
from commissioning.opportunities.tests.factories import appraise, commissioner_at, draft, explain
from commissioning.opportunities.tests.test_api import bearer
from commissioning.planning import appraisals
from commissioning.planning.appraisal_reading import appraisal_of, judge_appraisal, option_shape
from commissioning.planning.models import Appraisal, Option
from commissioning.practice.checks import evaluate
from commissioning.practice.services import RuleGateClosed

pytestmark = pytest.mark.django_db

OPTION = {
    "kind": "lots",
    "description": "Three lots by area",
    "value": Decimal("90000"),
    "length_months": 36,
    "contracts": 3,
    "funding_type": "contract",
    "benefits": "Local groups can bid",
    "risks": "Three contracts to co-ordinate",
    "costs": "",
}


def _unappraised_draft():
    """A draft that meets every rule but PL-2: its record's appraisal is taken away."""
    commissioner = commissioner_at()
    opportunity = draft(commissioner)
    Appraisal.objects.filter(record=opportunity.record).delete()
    return commissioner, opportunity


def _pl2(opportunity):
    gate = evaluate(opportunity, "opportunity_publish")
    return next(s for s in gate.items if s.rule.code == "PL-2")


def test_a_draft_without_an_appraisal_is_not_published_until_one_is_chosen():
    commissioner, opportunity = _unappraised_draft()
    status = _pl2(opportunity)
    assert status.outcome == "not_met" and "No options appraisal" in status.detail
    with pytest.raises(RuleGateClosed):
        opportunity_services.opportunity_publish(actor=commissioner, opportunity=opportunity)

    appraise(commissioner, opportunity.record, choose=False)
    assert "none is chosen" in _pl2(opportunity).detail

    options = list(appraisal_of(opportunity.record_id).options.all())
    appraisals.appraisal_choose(
        actor=commissioner, record=opportunity.record, option_id=options[1].pk, rationale="One provider covers it"
    )
    status = _pl2(opportunity)
    assert status.outcome == "met" and "Contract chosen from 2 options: One provider covers it" == status.detail
    published = opportunity_services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    assert published.status == "published"


def test_fewer_options_than_the_setting_is_not_met_and_can_be_explained():
    commissioner, opportunity = _unappraised_draft()
    only = appraisals.option_save(actor=commissioner, record=opportunity.record, data=OPTION)
    appraisals.appraisal_choose(actor=commissioner, record=opportunity.record, option_id=only.pk, rationale="Obvious")
    assert _pl2(opportunity).detail == "1 option appraised; at least 2 are expected"
    explain(commissioner, opportunity, "PL-2", reason="The only lawful route: the funding is ring-fenced for lots")
    assert _pl2(opportunity).outcome == "explained"
    assert opportunity_services.opportunity_publish(actor=commissioner, opportunity=opportunity).status == "published"


def test_once_published_the_appraisal_is_the_record_of_the_decision():
    commissioner = commissioner_at()
    opportunity = opportunity_services.opportunity_publish(actor=commissioner, opportunity=draft(commissioner))
    option = appraisal_of(opportunity.record_id).options.first()
    for attempt in (
        lambda: appraisals.option_save(actor=commissioner, record=opportunity.record, data=OPTION),
        lambda: appraisals.option_remove(actor=commissioner, option=option),
        lambda: appraisals.appraisal_choose(
            actor=commissioner, record=opportunity.record, option_id=option.pk, rationale="Changed our minds"
        ),
    ):
        with pytest.raises(appraisals.AppraisalError, match="published"):
            attempt()
    assert appraisal_of(opportunity.record_id).options.count() == 2


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"kind": ""}, "kind", "Choose what kind of option it is"),
        ({"kind": "lottery"}, "kind", "Choose one of the kinds listed"),
        ({"description": "  "}, "description", "Describe the option"),
        ({"benefits": ""}, "benefits", "Enter the option's benefits"),
        ({"risks": ""}, "risks", "Enter the option's risks"),
        ({"value": Decimal("-1")}, "value", "The size cannot be negative"),
        ({"length_months": 0}, "length_months", "between 1 and 240 months"),
        ({"contracts": 501}, "contracts", "between 1 and 500"),
        ({"funding_type": "loan"}, "funding_type", "Choose one of the funding types listed"),
    ],
)
def test_a_bad_option_is_refused_on_its_field_and_nothing_is_saved(change, field, message):
    commissioner, opportunity = _unappraised_draft()
    with pytest.raises(appraisals.AppraisalError) as refused:
        appraisals.option_save(actor=commissioner, record=opportunity.record, data={**OPTION, **change})
    assert any(message in m for m in refused.value.errors[field])
    assert not Option.objects.filter(appraisal__record=opportunity.record).exists()


def test_choosing_needs_an_option_of_this_appraisal_and_a_rationale():
    commissioner, opportunity = _unappraised_draft()
    with pytest.raises(appraisals.AppraisalError) as refused:
        appraisals.appraisal_choose(actor=commissioner, record=opportunity.record, option_id=1, rationale="x")
    assert refused.value.errors["option"] == ["Add the options first"]
    mine = appraisals.option_save(actor=commissioner, record=opportunity.record, data=OPTION)
    other_commissioner, other = _unappraised_draft()
    theirs = appraisals.option_save(actor=other_commissioner, record=other.record, data=OPTION)
    with pytest.raises(appraisals.AppraisalError) as refused:
        appraisals.appraisal_choose(actor=commissioner, record=opportunity.record, option_id=theirs.pk, rationale="")
    assert refused.value.errors == {
        "rationale": ["Say why this option was chosen"],
        "option": ["Choose one of the options considered"],
    }
    assert appraisal_of(opportunity.record_id).chosen_id is None
    # an option of another appraisal is never changed through this record
    with pytest.raises(PermissionDenied):
        appraisals.option_save(actor=commissioner, record=opportunity.record, data=OPTION, option=theirs)
    assert mine.appraisal.record == opportunity.record


def test_the_chosen_option_stays_until_another_is_chosen_and_every_change_is_audited():
    commissioner, opportunity = _unappraised_draft()
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    first, second = appraise(commissioner, opportunity.record)
    first_pk = first.pk
    with pytest.raises(appraisals.AppraisalError, match="chosen option"):
        appraisals.option_remove(actor=commissioner, option=first)
    appraisals.appraisal_choose(actor=commissioner, record=opportunity.record, option_id=second.pk, rationale="Better")
    appraisals.option_remove(actor=commissioner, option=first)
    events = AuditEvent.objects.filter(pk__gt=before, object_type__startswith="planning.").order_by("pk")
    verbs = list(events.values_list("verb", flat=True))
    assert verbs == ["option_add", "option_add", "appraisal_choose", "appraisal_choose", "option_remove"]
    choice = AuditEvent.objects.filter(verb="appraisal_choose").order_by("pk").last()
    assert choice.before["chosen"] == first_pk and choice.after["chosen"] == second.pk


def test_only_the_records_commissioners_write_it():
    commissioner, opportunity = _unappraised_draft()
    outsiders = [
        commissioner_at(),  # another body's commissioner
        person_with_role(Role.PROVIDER_ADMIN, ProviderFactory()),
    ]
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            appraisals.option_save(actor=outsider, record=opportunity.record, data=OPTION)
    assert not Appraisal.objects.filter(record=opportunity.record).exists()


def test_an_options_shape_reads_in_words_and_the_judgement_is_pure():
    option = Option(kind="grant", description="Grants", value=Decimal("60000"), length_months=1, contracts=4)
    option.funding_type = "grant"
    assert option_shape(option) == "£60,000, 1 month, 4 contracts or grants, grant"
    assert judge_appraisal(None, options_at_least=2).met is False


def test_the_pages_let_a_commissioner_add_change_choose_and_remove(client):
    commissioner, opportunity = _unappraised_draft()
    record = opportunity.record.reference
    client.force_login(commissioner)
    base = f"/commissioning/records/{record}/options/"
    page = html.unescape(client.get(base).content.decode())
    assert "PL-2 is not met yet: No options appraisal is recorded" in page

    refused = client.post(f"{base}new/", {"kind": "grant", "description": "", "benefits": "", "risks": "x"})
    assert refused.status_code == 200 and "Describe the option" in refused.content.decode()
    assert not Option.objects.exists()
    for kind in ("grant", "contract"):
        response = client.post(
            f"{base}new/",
            {"kind": kind, "description": f"A {kind}", "value": "60,000", "benefits": "b", "risks": "r"},
        )
        assert response.status_code == 302
    grant, contract = Option.objects.order_by("pk")
    assert grant.value == Decimal("60000")
    response = client.post(
        f"{base}{grant.pk}/", {"kind": "grant", "description": "Small grants", "benefits": "b", "risks": "r"}
    )
    assert response.status_code == 302 and Option.objects.get(pk=grant.pk).description == "Small grants"

    refused = client.post(f"{base}choice/", {"option": str(grant.pk), "rationale": ""})
    assert "Say why this option was chosen" in refused.content.decode()
    assert client.post(f"{base}choice/", {"option": str(grant.pk), "rationale": "Small groups"}).status_code == 302
    page = html.unescape(client.get(base).content.decode())
    assert "PL-2 is met: Grant chosen from 2 options: Small groups" in page
    assert client.post(f"{base}{contract.pk}/remove/").status_code == 302
    assert list(Option.objects.values_list("pk", flat=True)) == [grant.pk]

    # the record's page shows it, with the way in
    record_page = html.unescape(client.get(f"/commissioning/records/{record}/").content.decode())
    assert "Options appraisal" in record_page and "Grant (chosen)" in record_page


def test_the_pages_are_404_to_anyone_but_the_records_commissioners(client):
    _, opportunity = _unappraised_draft()
    for outsider in (commissioner_at(), person_with_role(Role.PROVIDER_ADMIN, ProviderFactory())):
        client.force_login(outsider)
        base = f"/commissioning/records/{opportunity.record.reference}/options/"
        assert client.get(base).status_code == 404
        assert client.post(f"{base}new/", {**OPTION, "value": "1"}).status_code == 404
    assert not Option.objects.filter(appraisal__record=opportunity.record).exists()


def test_the_api_writes_through_the_same_services(client):
    commissioner, opportunity = _unappraised_draft()
    headers = bearer(commissioner)
    base = f"/api/v1/records/{opportunity.record.reference}/appraisal"
    assert client.get(base, **headers).json()["pl2"] == {
        "code": "PL-2",
        "met": False,
        "detail": "No options appraisal is recorded for this piece of commissioning",
    }
    body = {**OPTION, "value": "90000.00"}
    created = client.post(f"{base}/options", body, content_type="application/json", **headers)
    assert created.status_code == 201 and created.json()["chosen"] is False
    bad = client.post(f"{base}/options", {**body, "kind": "lottery"}, content_type="application/json", **headers)
    assert bad.status_code == 422
    option_id = created.json()["id"]
    changed = client.put(
        f"{base}/options/{option_id}", {**body, "description": "Two lots"}, content_type="application/json", **headers
    )
    assert changed.status_code == 200 and changed.json()["description"] == "Two lots"
    missing = client.post(
        f"{base}/choice", {"option": 999999, "rationale": "x"}, content_type="application/json", **headers
    )
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "option"
    chosen = client.post(
        f"{base}/choice", {"option": option_id, "rationale": "Why"}, content_type="application/json", **headers
    )
    assert chosen.status_code == 200 and chosen.json()["chosen"] == option_id
    assert client.delete(f"{base}/options/{option_id}", **headers).status_code == 409
    other = bearer(commissioner_at())
    assert client.get(base, **other).status_code == 404
    assert client.post(f"{base}/options", body, content_type="application/json", **other).status_code == 404
