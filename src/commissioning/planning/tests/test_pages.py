"""The pipeline's pages: public list, filters, timeline, feed, CSV and a plan's page; commissioners' pages."""

import csv
import io
from datetime import date

import pytest

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.planning import services
from commissioning.planning.models import Overlap, Plan, PlanStatus

from .factories import ARMLEY, BEESTON, HAREHILLS, body_of, plan_for, third_sector_partners, two_bodies

pytestmark = pytest.mark.django_db


@pytest.fixture
def pipeline():
    council, icb = two_bodies()
    mine = plan_for(council, publish=True, title="Carers in Armley")
    theirs = plan_for(icb, publish=True, title="Young carers health checks", funding_type="contract")
    elsewhere = plan_for(
        icb,
        publish=True,
        title="Advice in Harehills",
        ward_codes=[HAREHILLS],
        service_area=Plan._meta.get_field("service_area").related_model.objects.get(
            slug="advice-debt-and-welfare-rights"
        ),
        expected_advert=date(2028, 2, 1),
        expected_start=date(2028, 6, 1),
    )
    draft = plan_for(council, title="A draft nobody else sees")
    return {"council": council, "icb": icb, "mine": mine, "theirs": theirs, "elsewhere": elsewhere, "draft": draft}


def test_the_pipeline_lists_every_published_plan_and_never_a_draft(client, pipeline):
    html = client.get("/pipeline/").content.decode()
    for key in ("mine", "theirs", "elsewhere"):
        assert pipeline[key].record.title in html
    assert "A draft nobody else sees" not in html
    assert "3 plans" in html and "sam.lee@example.org" in html


def test_the_pipelines_filters_narrow_it(client, pipeline):
    def titles(query):
        html = client.get(f"/pipeline/?{query}").content.decode()
        return {k for k in ("mine", "theirs", "elsewhere") if pipeline[k].record.title in html}

    assert titles("area=advice-debt-and-welfare-rights") == {"elsewhere"}
    assert titles(f"ward={HAREHILLS}") == {"elsewhere"}
    assert titles(f"body={body_of(pipeline['council']).slug}") == {"mine"}
    assert titles("funding=contract") == {"theirs"}
    assert titles("q=harehills") == {"elsewhere"}
    assert titles("status=approved") == set()
    assert titles("ward=nonsense&area=") == {"mine", "theirs", "elsewhere"}


def test_the_pipeline_pages_in_a_bounded_number_of_queries(client, pipeline, django_assert_max_num_queries):
    council = pipeline["council"]
    for n in range(12):
        plan_for(council, publish=True, title=f"More plan {n}", ward_codes=[ARMLEY, BEESTON])
    with django_assert_max_num_queries(14):
        assert client.get("/pipeline/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/pipeline/?ward={ARMLEY}&page=1").status_code == 200


def test_the_timeline_draws_quarters_with_a_table(client, pipeline):
    html = client.get("/pipeline/timeline/").content.decode()
    assert "<svg" in html and "April to June 2027" in html and "January to March 2028" in html
    assert body_of(pipeline["council"]).name in html and "£250,000.00" in html


def test_the_feed_lists_published_plans(client, pipeline):
    response = client.get("/pipeline/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert pipeline["mine"].record.title in body and "A draft nobody else sees" not in body
    filtered = client.get("/pipeline/feed.atom?funding=contract").content.decode()
    assert pipeline["theirs"].record.title in filtered and pipeline["mine"].record.title not in filtered


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_has_every_column_of_the_filtered_plans(client, pipeline):
    rows = _csv(client.get("/pipeline/pipeline.csv"))
    assert rows[0][0] == "Reference" and "Overlaps with" in rows[0]
    by_reference = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert set(by_reference) == {pipeline[k].record.reference for k in ("mine", "theirs", "elsewhere")}
    line = by_reference[pipeline["mine"].record.reference]
    assert line["Expected value (£)"] == "250000.00" and line["Expected start"] == "2027-10-01"
    assert line["Overlaps with"] == pipeline["theirs"].record.reference
    filtered = _csv(client.get("/pipeline/pipeline.csv?funding=contract"))
    assert [row[0] for row in filtered[1:]] == [pipeline["theirs"].record.reference]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_csv_neutralises_text_a_spreadsheet_would_run(client, pipeline, start):
    council = pipeline["council"]
    services.plan_update(actor=council, plan=pipeline["mine"], data={"title": f'{start}HYPERLINK("http://x","y")'})
    rows = _csv(client.get("/pipeline/pipeline.csv"))
    line = next(row for row in rows if row[0] == pipeline["mine"].record.reference)
    assert line[1] == f'\'{start}HYPERLINK("http://x","y")'


def test_a_plans_page_shows_its_overlaps_and_partners(client, pipeline):
    third_sector_partners(pipeline["council"], pipeline["mine"], stages=["scoping"])
    html = client.get(f"/pipeline/{pipeline['mine'].record.reference}/").content.decode()
    assert pipeline["theirs"].record.reference in html and "Open" in html
    assert "Helps with scoping" in html and "co-production" not in html


def test_a_draft_is_404_to_others_and_shown_to_its_commissioners_and_partners(client, pipeline):
    path = f"/pipeline/{pipeline['draft'].record.reference}/"
    assert client.get(path).status_code == 404
    client.force_login(pipeline["icb"])
    assert client.get(path).status_code == 404
    client.force_login(pipeline["council"])
    assert client.get(path).status_code == 200
    charity = third_sector_partners(pipeline["council"], pipeline["draft"], stages=["design"])
    member = person_with_role(Role.PROVIDER_MEMBER, charity)
    client.force_login(member)
    assert client.get(path).status_code == 200
    assert "A draft nobody else sees" in client.get("/pipeline/partnerships/").content.decode()


def test_a_commissioner_makes_publishes_and_resolves_through_the_pages(client, pipeline):
    council, icb = pipeline["council"], pipeline["icb"]
    client.force_login(icb)
    form = {
        "title": "Carers' breaks",
        "summary": "Short breaks for carers.",
        "service_area": str(pipeline["mine"].service_area_id),
        "wards": [ARMLEY],
        "estimated_value": "£120,000",
        "funding_type": "grant",
        "expected_advert": "01/05/2027",
        "expected_start": "01/09/2027",
        "expected_end": "31/08/2029",
        "contact_name": "Helen Brooks",
        "contact_email": "helen@example.org",
    }
    bad = client.post("/pipeline/commissioning/new/", form | {"expected_end": "01/01/2027"})
    assert bad.status_code == 200 and "The expected end must be on or after the expected start" in bad.content.decode()
    response = client.post("/pipeline/commissioning/new/", form)
    assert response.status_code == 302
    plan = Plan.objects.get(record__title="Carers' breaks")
    reference = plan.record.reference
    assert client.post(f"/pipeline/commissioning/{reference}/publish/").status_code == 302
    overlap = Overlap.objects.get(first=pipeline["mine"], second=plan)
    page = client.get(f"/pipeline/commissioning/overlaps/{overlap.pk}/")
    assert page.status_code == 200
    refused = client.post(f"/pipeline/commissioning/overlaps/{overlap.pk}/", {"coordination": "apart", "note": ""})
    assert "Say why the plans are kept apart" in refused.content.decode()
    client.post(f"/pipeline/commissioning/overlaps/{overlap.pk}/", {"coordination": "joint", "note": "Together"})
    overlap.refresh_from_db()
    assert overlap.coordination == "joint"
    client.force_login(council)
    assert client.get(f"/pipeline/commissioning/{reference}/").status_code == 404
    assert client.get(f"/pipeline/commissioning/overlaps/{overlap.pk}/").status_code == 200


def test_approving_from_the_check_page_is_explained_when_blocked(client, pipeline):
    council = pipeline["council"]
    reference = pipeline["mine"].record.reference
    client.force_login(council)
    page = client.get(f"/pipeline/commissioning/{reference}/check/").content.decode()
    assert "PL-1" in page and "PL-4" in page and "Not met" in page
    response = client.post(f"/pipeline/commissioning/{reference}/check/", {"action": "approve"}, follow=True)
    assert "Before approving a plan" in response.content.decode()
    assert Plan.objects.get(pk=pipeline["mine"].pk).status == PlanStatus.IDEA


def test_the_commissioners_list_shows_drafts_and_open_overlaps_in_bounded_queries(
    client, pipeline, django_assert_max_num_queries
):
    client.force_login(pipeline["council"])
    with django_assert_max_num_queries(16):
        html = client.get("/pipeline/commissioning/").content.decode()
    assert "A draft nobody else sees" in html and "Overlaps to co-ordinate" in html
    client.force_login(person_with_role(Role.PROVIDER_ADMIN))
    assert client.get("/pipeline/commissioning/").status_code == 404


def test_the_record_page_shows_the_plan(client, pipeline):
    client.force_login(pipeline["council"])
    html = client.get(f"/commissioning/records/{pipeline['mine'].record.reference}/").content.decode()
    assert "The plan on the pipeline" in html and "Partners in scoping" in html


def test_the_timeline_shows_this_quarter_and_the_next_seven():
    from commissioning.planning.timeline import quarters_from

    quarters = quarters_from(date(2026, 12, 3))
    assert len(quarters) == 8
    assert quarters[0] == (date(2026, 10, 1), date(2026, 12, 31))
    assert quarters[1] == (date(2027, 1, 1), date(2027, 3, 31))
    assert quarters[-1] == (date(2028, 7, 1), date(2028, 9, 30))
