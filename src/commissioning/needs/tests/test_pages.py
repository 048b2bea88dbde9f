"""The needs pages: who reaches what, what each page shows, bad input on the page, and bounded queries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, VerifiedProviderFactory, person_with_role
from commissioning.records.tests.factories import record_for

from ..models import Assessment, AssessmentStatus, CoProduction, Evidence, WardFigure
from .factories import (
    ARMLEY,
    BRAMLEY,
    activity_for,
    assessment_for,
    carers,
    completed_for,
    csv_upload,
    evidence_for,
    only_own_rules,
)

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


# Who sees what -------------------------------------------------------------------------------


def test_a_draft_is_seen_only_by_its_bodys_commissioners(client, commissioner, administrator, provider_admin):
    draft = assessment_for(commissioner)
    pages = [
        f"/needs/commissioning/{draft.reference}/",
        f"/needs/commissioning/{draft.reference}/edit/",
        f"/needs/commissioning/{draft.reference}/check/",
        f"/needs/commissioning/{draft.reference}/figures/",
        f"/needs/{draft.reference}/",
    ]
    for url in pages:
        assert signed_in(client, commissioner).get(url).status_code == 200, url
    for user in (person_with_role(Role.COMMISSIONER), administrator, provider_admin):
        for url in pages:
            assert signed_in(client, user).get(url).status_code == 404, url
    client.logout()
    assert client.get(f"/needs/{draft.reference}/").status_code == 404
    assert client.get(f"/needs/commissioning/{draft.reference}/").status_code == 302


def test_a_completed_assessment_is_public_and_its_change_pages_send_back(client, commissioner):
    done = completed_for(commissioner)
    response = client.get(f"/needs/{done.reference}/")
    assert response.status_code == 200
    assert "Young carers in west Leeds" in response.content.decode()
    response = signed_in(client, commissioner).get(f"/needs/commissioning/{done.reference}/edit/")
    assert response.status_code == 302 and response["Location"] == f"/needs/commissioning/{done.reference}/"


def test_the_public_list_shows_only_completed_assessments_filtered(client, commissioner):
    done = completed_for(commissioner)
    draft = assessment_for(commissioner, title="Draft about loneliness")
    elsewhere = completed_for(commissioner, title="Carers in Kirkstall", ward_codes=["Kirkstall"])
    body = client.get("/needs/").content.decode()
    assert done.title in body and elsewhere.title in body and draft.title not in body
    body = client.get(f"/needs/?ward={BRAMLEY}").content.decode()
    assert done.title in body and elsewhere.title not in body
    body = client.get("/needs/?area=older-people").content.decode()
    assert "No completed assessments match" in body
    assert client.get("/needs/?ward=bogus&area=nothing").status_code == 200


def test_the_commissioners_list_has_their_bodys_drafts_and_completed_with_counts(client, commissioner):
    draft = assessment_for(commissioner, title="Draft about loneliness")
    evidence_for(commissioner, draft)
    done = completed_for(commissioner)
    theirs = assessment_for(person_with_role(Role.COMMISSIONER), title="Another body's")
    body = signed_in(client, commissioner).get("/needs/commissioning/").content.decode()
    assert draft.reference in body and done.reference in body and theirs.reference not in body
    assert "1 (1 third sector)" in body
    assert (
        signed_in(client, VerifiedProviderFactory() and person_with_role(Role.PROVIDER_ADMIN))
        .get("/needs/commissioning/")
        .status_code
        == 404
    )


def test_lists_make_a_bounded_number_of_queries(client, commissioner, django_assert_max_num_queries):
    for n in range(3):
        completed_for(commissioner, title=f"Assessment {n}")
        assessment_for(commissioner, title=f"Draft {n}")
    signed_in(client, commissioner)
    with django_assert_max_num_queries(12):
        assert client.get("/needs/commissioning/").status_code == 200
    for n in range(3, 8):
        completed_for(commissioner, title=f"Assessment {n}")
    with django_assert_max_num_queries(12):
        assert client.get("/needs/commissioning/").status_code == 200
    client.logout()
    with django_assert_max_num_queries(8):
        assert client.get("/needs/").status_code == 200


def test_the_assessment_page_makes_a_bounded_number_of_queries(client, commissioner, django_assert_max_num_queries):
    done = completed_for(commissioner)
    for n in range(5):
        evidence_for(commissioner, assessment_for(commissioner), source=f"Source {n}")
    client.logout()
    with django_assert_max_num_queries(10):
        assert client.get(f"/needs/{done.reference}/").status_code == 200


# Writing an assessment -----------------------------------------------------------------------


def test_a_commissioner_starts_an_assessment_on_the_page(client, commissioner):
    response = signed_in(client, commissioner).post(
        "/needs/commissioning/new/",
        {
            "title": "Young carers in west Leeds",
            "service_area": carers().pk,
            "question": "What do young carers need?",
            "wards": [ARMLEY, BRAMLEY],
        },
    )
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/needs/commissioning/{assessment.reference}/"


def test_bad_input_is_shown_in_the_error_summary_and_kept(client, commissioner):
    response = signed_in(client, commissioner).post(
        "/needs/commissioning/new/", {"title": "Young carers", "question": "", "wards": ["E05999999"]}
    )
    body = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in body
    assert "Choose an outcome area" in body and "Young carers" in body
    assert not Assessment.objects.exists()


def test_a_ward_neither_chosen_nor_city_wide_is_refused_on_the_page(client, commissioner):
    response = signed_in(client, commissioner).post(
        "/needs/commissioning/new/", {"title": "T", "service_area": carers().pk, "question": "Q"}
    )
    assert "Choose at least one ward, or say the assessment covers the whole of Leeds" in response.content.decode()


def test_evidence_is_added_with_a_file_and_downloaded_as_public_as_the_assessment(
    client, commissioner, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    assessment = assessment_for(commissioner)
    response = signed_in(client, commissioner).post(
        f"/needs/commissioning/{assessment.reference}/evidence/new/",
        {
            "source": "Carers Leeds",
            "sector": "third_sector",
            "dated": "01/03/2026",
            "shows": "Half are unknown to their school",
            "document": SimpleUploadedFile("survey.pdf", b"%PDF-1.7 survey"),
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    url = f"/needs/{assessment.reference}/evidence/{evidence.pk}/file/"
    download = client.get(url)
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]
    client.logout()
    assert client.get(url).status_code == 404


def test_evidence_without_a_link_or_file_is_refused_on_the_page(client, commissioner):
    assessment = assessment_for(commissioner)
    response = signed_in(client, commissioner).post(
        f"/needs/commissioning/{assessment.reference}/evidence/new/",
        {"source": "Carers Leeds", "sector": "third_sector", "dated": "01/03/2026", "shows": "Gaps"},
    )
    assert "Enter a link to the evidence, or choose a file, or both" in response.content.decode()


def test_evidence_is_changed_and_removed_on_the_page(client, commissioner):
    assessment = assessment_for(commissioner)
    evidence = evidence_for(commissioner, assessment)
    base = f"/needs/commissioning/{assessment.reference}/evidence/{evidence.pk}/"
    signed_in(client, commissioner)
    assert client.get(base).status_code == 200
    client.post(
        base,
        {"source": "Carers Leeds", "sector": "community", "dated": "01/03/2026", "link": evidence.link, "shows": "S"},
    )
    assert Evidence.objects.get().sector == "community"
    assert client.get(f"{base}remove/").status_code == 200
    assert client.post(f"{base}remove/").status_code == 302
    assert not Evidence.objects.exists()
    assert client.get(base).status_code == 404


# Ward figures on the page --------------------------------------------------------------------

MIXED = f"ward code,indicator,value,year\n{ARMLEY},Young carers,41,2024\nE05999999,Young carers,3,2024\n"


def test_the_upload_page_imports_the_good_rows_and_lists_the_bad(client, commissioner):
    assessment = assessment_for(commissioner)
    response = signed_in(client, commissioner).post(
        f"/needs/commissioning/{assessment.reference}/figures/",
        {"action": "upload", "mode": "good_rows", "file": csv_upload(MIXED)},
    )
    body = response.content.decode()
    assert "1 figure imported" in body and "Line 3: there is no Leeds ward" in body
    assert "Bad rows, not imported" in body
    assert WardFigure.objects.count() == 1


def test_the_upload_page_imports_nothing_when_asked_and_says_so(client, commissioner):
    assessment = assessment_for(commissioner)
    response = signed_in(client, commissioner).post(
        f"/needs/commissioning/{assessment.reference}/figures/",
        {"action": "upload", "mode": "all_or_nothing", "file": csv_upload(MIXED)},
    )
    body = response.content.decode()
    assert "Nothing was imported" in body and "import nothing unless every row is good" in body
    assert not WardFigure.objects.exists()


def test_a_file_refused_as_a_whole_is_in_the_error_summary(client, commissioner):
    assessment = assessment_for(commissioner)
    response = signed_in(client, commissioner).post(
        f"/needs/commissioning/{assessment.reference}/figures/",
        {"action": "upload", "mode": "good_rows", "file": SimpleUploadedFile("f.csv", b"")},
    )
    body = response.content.decode()
    assert "There is a problem" in body


def test_a_figure_by_hand_replacing_one_says_so_and_the_page_draws_the_chart_and_table(client, commissioner):
    assessment = assessment_for(commissioner)
    url = f"/needs/commissioning/{assessment.reference}/figures/"
    signed_in(client, commissioner)
    for value in ("41", "45"):
        response = client.post(
            url,
            {"action": "add", "ward": ARMLEY, "indicator": "Young carers", "year": "2025", "value": value},
            follow=True,
        )
    assert "Young carers for Armley in 2025 is now 45: it replaced 41" in response.content.decode()
    page = client.get(f"/needs/commissioning/{assessment.reference}/").content.decode()
    assert '<svg class="app-chart" role="img"' in page and "Young carers by ward, 2025" in page
    assert "Young carers by ward and year" in page
    figure = WardFigure.objects.get()
    assert client.post(f"{url}{figure.pk}/remove/").status_code == 302
    assert not WardFigure.objects.exists()


def test_a_bad_figure_by_hand_is_refused_on_the_page(client, commissioner):
    assessment = assessment_for(commissioner)
    response = signed_in(client, commissioner).post(
        f"/needs/commissioning/{assessment.reference}/figures/",
        {"action": "add", "ward": ARMLEY, "indicator": "Young carers", "year": "3000", "value": "1e4"},
    )
    body = response.content.decode()
    assert "There is a problem" in body and "is not a number" in body and "The year must be from" in body


# Co-production -------------------------------------------------------------------------------


def test_coproduction_is_recorded_changed_and_removed_for_an_assessment(client, commissioner):
    assessment = assessment_for(commissioner)
    charity = VerifiedProviderFactory()
    base = f"/needs/commissioning/{assessment.reference}/co-production/"
    signed_in(client, commissioner)
    data = {
        "kind": "lived_experience_panel",
        "title": "Young carers' panel",
        "held_on": "20/05/2026",
        "participants": "12",
        "organisations": [charity.pk],
        "what_changed": "Holiday breaks first",
    }
    assert client.post(f"{base}new/", data).status_code == 302
    activity = CoProduction.objects.get()
    assert list(activity.organisations.all()) == [charity]
    assert client.post(f"{base}{activity.pk}/", data | {"participants": "15"}).status_code == 302
    assert CoProduction.objects.get().participants == 15
    page = client.get(f"/needs/commissioning/{assessment.reference}/").content.decode()
    assert "15 people took part across 1 activity" in page and charity.name in page
    assert client.post(f"{base}{activity.pk}/remove/").status_code == 302
    assert not CoProduction.objects.exists()


def test_bad_coproduction_is_refused_on_the_page(client, commissioner):
    assessment = assessment_for(commissioner)
    response = signed_in(client, commissioner).post(
        f"/needs/commissioning/{assessment.reference}/co-production/new/",
        {"kind": "lived_experience_panel", "title": "Panel", "held_on": "20/05/2026", "participants": "-3"},
    )
    body = response.content.decode()
    assert "There is a problem" in body and "Enter what changed because of it" in body


def test_a_records_coproduction_pages_are_for_its_commissioners(client, commissioner, administrator):
    record = record_for(commissioner)
    activity = activity_for(commissioner, record=record)
    base = f"/needs/records/{record.reference}/co-production/"
    signed_in(client, commissioner)
    body = client.get(base).content.decode()
    assert "Young carers&#39; panel" in body
    assert client.get(f"{base}new/").status_code == 200
    assert client.get(f"{base}{activity.pk}/").status_code == 200
    assert client.get(f"{base}999/").status_code == 404
    record_page = client.get(f"/commissioning/records/{record.reference}/").content.decode()
    assert "Co-production" in record_page and "Young carers&#39; panel" in record_page
    for user in (administrator, person_with_role(Role.COMMISSIONER)):
        assert signed_in(client, user).get(base).status_code == 404


# Check against the Code ----------------------------------------------------------------------


def test_the_check_page_explains_a_rule_and_completes_the_assessment(client, commissioner):
    from commissioning.practice.models import Explanation
    from commissioning.practice.services import explanation_confirm

    assessment = assessment_for(commissioner)
    evidence_for(commissioner, assessment, sector="public_body", source="Leeds City Council")
    activity_for(commissioner, assessment)
    colleague = person_with_role(Role.COMMISSIONER, assessment.body)
    url = f"/needs/commissioning/{assessment.reference}/check/"
    signed_in(client, commissioner)
    with only_own_rules():
        body = client.get(url).content.decode()
        assert "None of" not in body and "did not come from the third sector" in body
        assert client.get(f"{url}?explain=NA-1").status_code == 200
        response = client.post(url, {"action": "explain", "rule": "NA-1", "reason": "", "confirmer": colleague.pk})
        assert "There is a problem" in response.content.decode()
        response = client.post(
            url, {"action": "explain", "rule": "NA-1", "reason": "No study covers it", "confirmer": colleague.pk}
        )
        assert response.status_code == 302
        response = client.post(url, {"action": "complete"}, follow=True)
        assert "NA-1" in response.content.decode()
        assert Assessment.objects.get().status == AssessmentStatus.DRAFT
        explanation_confirm(actor=colleague, explanation=Explanation.objects.get())
        response = client.post(url, {"action": "complete"})
    assert response.status_code == 302
    assert Assessment.objects.get().status == AssessmentStatus.COMPLETED


def test_completing_a_draft_without_findings_says_what_is_missing(client, commissioner):
    assessment = assessment_for(commissioner, findings="")
    evidence_for(commissioner, assessment)
    activity_for(commissioner, assessment)
    signed_in(client, commissioner)
    with only_own_rules():
        response = client.post(
            f"/needs/commissioning/{assessment.reference}/check/", {"action": "complete"}, follow=True
        )
    assert "Write the findings before completing the assessment" in response.content.decode()


def test_the_worklist_lists_each_draft_to_complete(commissioner):
    from commissioning.core import clock
    from commissioning.core.worklist import WorklistContext, tasks_for

    draft = assessment_for(commissioner)
    completed_for(commissioner)
    context = WorklistContext(user=commissioner, opportunities=[], now=clock.now(), today=clock.today())
    tasks = tasks_for(context)[draft.reference]
    assert [(t.title, t.url, t.stage) for t in tasks] == [
        ("Complete the needs assessment", f"/needs/commissioning/{draft.reference}/check/", "needs")
    ]
    assert len([r for r in tasks_for(context) if r.startswith("LNA-")]) == 1


def test_an_assessments_page_leads_to_its_reviews_and_offers_one_while_a_draft(client):
    from commissioning.needs.tests.review_factories import closed_review, draft_review

    commissioner = person_with_role(Role.COMMISSIONER, CommissionerOrgFactory())
    assessment = assessment_for(commissioner)
    review = closed_review(commissioner, title="Young carers: have your say", comments=1, assessment=assessment)
    hidden = draft_review(commissioner, title="Not yet published", assessment=assessment)
    client.force_login(commissioner)
    page = client.get(f"/needs/commissioning/{assessment.reference}/").content.decode()
    assert f"/reviews/commissioning/{review.reference}/" in page and "Young carers: have your say" in page
    assert "Not yet published" in page and f"/reviews/commissioning/{hidden.reference}/" in page
    assert f"/reviews/commissioning/new/?kind=needs_assessment&amp;assessment={assessment.pk}" in page


def test_a_completed_assessments_public_page_lists_only_its_published_reviews(client):
    from commissioning.needs.tests.review_factories import closed_review, draft_review

    commissioner = person_with_role(Role.COMMISSIONER, CommissionerOrgFactory())
    assessment = assessment_for(commissioner)
    review = closed_review(commissioner, title="Young carers: have your say", comments=1, assessment=assessment)
    draft_review(commissioner, title="Not yet published", assessment=assessment)
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.COMPLETED, completed_at=review.closes_at)
    page = client.get(f"/needs/{assessment.reference}/").content.decode()
    assert f"/reviews/{review.reference}/" in page and "Not yet published" not in page
    assert "Put it out for comment" not in page
