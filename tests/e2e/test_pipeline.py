"""The pipeline in the browser: the public list with its filters and the timeline; a commissioner plans,
puts the plan on the pipeline, finds it overlaps another body's, and records how they co-ordinate. Axe
checks every page each test reaches.
"""

import pytest
from playwright.sync_api import expect

from commissioning.accounts.tests.factories import PASSWORD
from commissioning.planning.models import Overlap
from commissioning.planning.tests.factories import HAREHILLS, plan_for, two_bodies
from commissioning.records.models import ServiceArea


@pytest.fixture
def bodies(transactional_db):
    council, icb = two_bodies()
    plan_for(council, publish=True, title="Young carers' support in west Leeds")
    plan_for(
        council,
        publish=True,
        title="Debt advice in Harehills",
        ward_codes=[HAREHILLS],
        funding_type="contract",
        service_area=ServiceArea.objects.get(slug="advice-debt-and-welfare-rights"),
    )
    return council, icb


@pytest.mark.browser
def test_the_public_filter_the_pipeline_and_read_its_timeline(page, bodies, visit, submit, follow):
    visit(page, "/pipeline/")
    expect(page.get_by_role("status")).to_contain_text("2 plans")
    page.get_by_label("Funding type").select_option(label="Contract")
    submit(page, "Apply filters")
    expect(page.get_by_role("status")).to_contain_text("1 plan")
    expect(page.get_by_role("link", name="Debt advice in Harehills")).to_be_visible()
    expect(page.get_by_role("link", name="Young carers' support in west Leeds")).to_have_count(0)
    follow(page, "See the timeline by quarter")
    expect(page.get_by_role("heading", level=1)).to_have_text("The pipeline by quarter")
    expect(page.get_by_role("img", name="Plans expected to be advertised, by quarter")).to_be_visible()
    expect(page.get_by_role("cell", name="April to June 2027").first).to_be_visible()
    follow(page, "Clear filters")
    follow(page, "The pipeline")
    follow(page, "Debt advice in Harehills")
    expect(page.get_by_role("heading", level=1)).to_have_text("Debt advice in Harehills")


@pytest.mark.browser
def test_a_commissioner_plans_publishes_finds_an_overlap_and_resolves_it(page, bodies, visit, submit, follow, sign_in):
    council, icb = bodies
    sign_in(page, icb.email, PASSWORD)
    visit(page, "/pipeline/commissioning/")
    follow(page, "Plan a piece of commissioning", role="button")
    page.get_by_label("Title").fill("Young carers' health checks")
    page.get_by_label("What is bought or funded").fill("Health checks for young carers in Armley.")
    page.get_by_label("Outcome area").select_option(label="Carers' support")
    page.get_by_label("Armley").check()
    page.get_by_label("Expected value").fill("180,000")
    page.get_by_label("Contract", exact=True).check()
    page.get_by_label("Expected to be advertised").fill("01/05/2027")
    page.get_by_label("Expected to start").fill("01/09/2027")
    page.get_by_label("Expected to end").fill("01/01/2027")
    page.get_by_label("Contact e-mail address").fill("helen@example.org")
    submit(page, "Save the plan")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The expected end must be on or after the expected start"
    )
    page.get_by_label("Expected to end").fill("31/08/2029")
    submit(page, "Save the plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Young carers' health checks")
    submit(page, "Put it on the pipeline")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("It overlaps 1 other plan")

    follow(page, "Record how you co-ordinate")
    page.get_by_label("Kept apart, for a reason").check()
    submit(page, "Record how you co-ordinate")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why the plans are kept apart")
    page.get_by_label("Joint commissioning").check()
    page.get_by_label("What you agreed").fill("One programme with the council")
    submit(page, "Record how you co-ordinate")
    expect(page.get_by_text("Joint commissioning, recorded by")).to_be_visible()
    assert Overlap.objects.get().coordination == "joint"
