"""A commissioner writes a needs assessment in the browser: the question, evidence, ward figures from a CSV
(one bad row reported), the chart and table they make, and co-production. Axe checks every page."""

import pytest
from playwright.sync_api import expect

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import (
    PASSWORD,
    CommissionerOrgFactory,
    VerifiedProviderFactory,
    person_with_role,
)
from commissioning.needs.models import Assessment

FIGURES = b"""ward name,indicator,value,year
Armley,Young carers known to services,41,2025
Bramley & Stanningley,Young carers known to services,28,2025
Kirkstall,Young carers known to services,19,2025
Narnia,Young carers known to services,3,2025
Armley,Young carers known to services,37,2024
"""


@pytest.fixture
def commissioner(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    VerifiedProviderFactory(name="Armley Young Carers Project")
    return person_with_role(Role.COMMISSIONER, CommissionerOrgFactory(name="Leeds City Council"))


@pytest.mark.browser
def test_a_commissioner_writes_an_assessment_from_evidence_to_coproduction(
    page, commissioner, visit, submit, follow, sign_in
):
    sign_in(page, commissioner.email, PASSWORD)
    visit(page, "/needs/commissioning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Needs assessments")
    follow(page, "Start a needs assessment", role="button")

    # First with a mistake: no ward and not city-wide.
    page.get_by_label("Title").fill("Young carers in west Leeds")
    page.get_by_label("Outcome area").select_option(label="Carers' support")
    page.get_by_label("What does the assessment set out to understand?").fill("What do young carers need?")
    submit(page, "Save as a draft")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose at least one ward")
    expect(page.get_by_label("Title")).to_have_value("Young carers in west Leeds")
    page.get_by_label("Armley", exact=True).check()
    page.get_by_label("Bramley & Stanningley").check()
    submit(page, "Save as a draft")
    assessment = Assessment.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Young carers in west Leeds")
    expect(page.get_by_text("No evidence is recorded yet.")).to_be_visible()

    follow(page, "Add evidence", role="button")
    page.get_by_label("Source").fill("Armley Young Carers Project")
    page.get_by_label("Third sector").check()
    page.get_by_label("Date published or collected").fill("01/03/2026")
    page.get_by_label("Link (optional if you add a file)").fill("https://armley-carers.example/report")
    page.get_by_label("What it shows about the need").fill("Most young carers are not known to their school.")
    submit(page, "Save the evidence")
    evidence = page.get_by_role("table", name="Evidence")
    expect(evidence).to_contain_text("Armley Young Carers Project")
    expect(evidence).to_contain_text("Third sector")
    expect(evidence).to_contain_text("1 March 2026")

    follow(page, "Add or upload ward figures", role="button")
    page.get_by_label("CSV file of ward figures").set_input_files(
        files=[{"name": "figures.csv", "mimeType": "text/csv", "buffer": FIGURES}]
    )
    page.get_by_label("Import the good rows and list the bad").check()
    submit(page, "Upload the figures")
    expect(page.get_by_role("status")).to_contain_text("4 figures imported")
    expect(page.locator("#bad-rows")).to_have_text("Line 5: there is no Leeds ward \u201cNarnia\u201d")

    follow(page, "Back to the assessment")
    chart = page.locator("svg.app-chart")
    expect(chart).to_have_count(1)
    expect(chart.locator("title")).to_have_text("Young carers known to services by ward, 2025")
    table = page.get_by_role("table", name="Young carers known to services by ward and year")
    expect(table.get_by_role("row", name="Armley")).to_contain_text("37")
    expect(table.get_by_role("row", name="Armley")).to_contain_text("41")

    follow(page, "Record co-production", role="button")
    page.get_by_label("Lived-experience panel").check()
    page.get_by_label("Title").fill("Young carers' panel")
    page.get_by_label("When was it held?").fill("20/05/2026")
    page.get_by_label("How many people took part?").fill("12")
    page.get_by_label("Armley Young Carers Project").check()
    page.get_by_label("What changed because of it?").fill("Breaks in the school holidays came first")
    submit(page, "Save the activity")
    expect(page.get_by_text("12 people took part across 1 activity.")).to_be_visible()
    expect(page.get_by_role("table", name="Co-production activities")).to_contain_text("Armley Young Carers Project")

    follow(page, "Check against the Code and complete the assessment")
    rules = page.get_by_role("table", name="The Code's rules for completing an assessment")
    expect(rules).to_contain_text("Evidence from the third sector: Armley Young Carers Project")
    expect(rules).to_contain_text("12 people took part across 1 activity")
    assert assessment.reference in page.url
