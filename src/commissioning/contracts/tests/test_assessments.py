"""Performance assessments (Procurement Act 2023 s71): KPIs against targets from the accepted returns, rated with
reg 39(5)'s ratings for a period, due every set number of months, shown to the provider and on the register."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.core.tests.travel import builder_travel

from .. import assessments, returns, services
from ..models import PerformanceAssessment, Rating
from .factories import direct_agreement, provider_member
from .test_returns import complete

pytestmark = pytest.mark.django_db

KPIS = [("People supported home", 100, "people"), ("Satisfied with the service", 90, "%"), ("Home visits", 40, "")]
TODAY = datetime(2026, 11, 20, 10, tzinfo=clock.LONDON)


def running(*, value=Decimal("6000000.00"), kpis=KPIS, **fields):
    """An accepted contract over the KPI threshold (so it needs assessing) with three published KPIs, started
    1 April 2026 for a year with four returns; the clock on 20 November 2026."""
    builder_travel(TODAY, tick=False)
    if value > 250_000:  # the enhanced tier's four returns a year
        fields.setdefault("returns_per_year", 4)
    agreement = direct_agreement(value=value, **fields)
    commissioner, admin = agreement.commissioner_person, agreement.admin
    for name, target, unit in kpis:
        services.measure_save(
            actor=commissioner, agreement=agreement, name=name, target=target, unit=unit, published=True
        )
    issued = services.agreement_issue(actor=commissioner, agreement=agreement)
    done = services.agreement_accept(
        actor=admin, agreement=issued, name="Sam Okafor", role="Director", digest=issued.document_digest
    )
    done.admin, done.commissioner_person = admin, commissioner
    return done


def report(agreement, number, actuals, *, accept=True):
    """The provider submits return ``number`` with these KPI results; the commissioner accepts it."""
    r = agreement.returns.get(number=number)
    data = {**complete(agreement), **{f"measure_{i}_actual": str(a) for i, a in enumerate(actuals, start=1)}}
    r = returns.return_submit(actor=agreement.admin, monitoring_return=r, data=data)
    if accept:
        returns.return_review(actor=agreement.commissioner_person, monitoring_return=r, outcome="accepted")
    return r


def record(agreement, start=date(2026, 4, 1), end=date(2026, 9, 30), rating=Rating.GOOD, ratings=None, note=""):
    return assessments.assessment_record(
        actor=agreement.commissioner_person,
        agreement=agreement,
        period_start=start,
        period_end=end,
        rating=rating,
        measure_ratings=ratings or {1: Rating.GOOD, 2: Rating.GOOD, 3: Rating.GOOD},
        note=note,
    )


@given(
    target=st.decimals(min_value=1, max_value=10_000, places=2),
    actual=st.decimals(min_value=0, max_value=20_000, places=2),
    margin=st.decimals(min_value=0, max_value=50, places=0),
)
def test_the_suggested_rating_follows_the_target_and_the_margin(target, actual, margin):
    rating = assessments.suggested_rating(target, actual, margin)
    if actual >= target:
        assert rating == Rating.GOOD
    elif actual >= target * (1 - margin / 100):
        assert rating == Rating.APPROACHING
    else:
        assert rating == Rating.REQUIRES_IMPROVEMENT
    assert assessments.suggested_rating(target, None, margin) == Rating.OTHER


def test_the_results_come_from_the_accepted_returns_and_suggest_each_kpis_rating(settings):
    settings.CONTRACTS = {**settings.CONTRACTS, "assessment_approaching_percent": 10}
    agreement = running()
    assert agreement.needs_performance_assessment
    report(agreement, 1, [120, 80, 30])
    report(agreement, 2, [100, 90, 40])
    report(agreement, 3, [1, 1, 1], accept=False)  # submitted, not accepted: not counted
    rows = assessments.suggestions(agreement, date(2026, 4, 1), date(2026, 12, 31))
    assert [(r["actual"], r["returns"], r["suggested"]) for r in rows] == [
        ("110", 2, Rating.GOOD),  # the average of 120 and 100, at or above 100
        ("85", 2, Rating.APPROACHING),  # 85 is within 10% below 90
        ("35", 2, Rating.REQUIRES_IMPROVEMENT),  # 35 is more than 10% below 40
    ]
    # A return outside the period is left out; a period with none suggests Other.
    assert assessments.suggestions(agreement, date(2026, 7, 1), date(2026, 9, 30))[0]["actual"] == "100"
    assert assessments.suggestions(agreement, date(2027, 1, 1), date(2027, 3, 31))[0]["suggested"] == Rating.OTHER


def test_an_assessment_is_recorded_with_each_kpi_audited_and_the_provider_e_mailed(django_capture_on_commit_callbacks):
    agreement = running()
    report(agreement, 1, [120, 95, 40])
    report(agreement, 2, [100, 90, 40])
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        made = record(
            agreement,
            rating=Rating.APPROACHING,
            ratings={1: Rating.GOOD, 2: Rating.APPROACHING, 3: Rating.GOOD},  # the commissioner changed KPI 2
        )
    assert [m["rating"] for m in made.measure_ratings] == [Rating.GOOD, Rating.APPROACHING, Rating.GOOD]
    assert made.measure_ratings[1]["suggested"] == Rating.GOOD and made.measure_ratings[1]["actual"] == "92.5"
    event = AuditEvent.objects.filter(verb="agreement.assess").get()
    assert event.after["rating"] == Rating.APPROACHING
    sent = [m for m in mail.outbox if "Performance assessment" in m.subject]
    assert [m.to for m in sent] == [[agreement.admin.email]]
    assert (
        "Approaching target" in sent[0].body and f"/contracts/yours/{agreement.reference}/performance/" in sent[0].body
    )


@pytest.mark.parametrize("rating", [Rating.REQUIRES_IMPROVEMENT, Rating.INADEQUATE])
def test_a_rating_below_target_needs_a_note(rating):
    agreement = running()
    with pytest.raises(assessments.AssessmentError) as refused:
        record(agreement, ratings={1: rating, 2: Rating.GOOD, 3: Rating.GOOD})
    assert "note" in refused.value.errors
    with pytest.raises(assessments.AssessmentError) as refused:
        record(agreement, rating=rating)
    assert "note" in refused.value.errors
    assert record(agreement, rating=rating, note="Fewer visits than agreed; a plan is agreed for the winter").pk


@pytest.mark.parametrize(
    ("start", "end", "field", "words"),
    [
        (date(2026, 3, 1), date(2026, 9, 30), "period_start", "before the agreement started"),
        (date(2026, 4, 1), date(2026, 11, 20), "period_end", "must have ended"),
        (date(2026, 4, 1), date(2027, 1, 31), "period_end", "must have ended"),
        (date(2026, 9, 1), date(2026, 8, 1), "period_end", "on or after"),
        (None, date(2026, 8, 1), "period_start", "Enter"),
    ],
)
def test_a_period_before_the_start_in_the_future_or_backwards_is_refused(start, end, field, words):
    agreement = running()
    with pytest.raises(assessments.AssessmentError) as refused:
        record(agreement, start=start, end=end)
    assert words in refused.value.errors[field][0]
    assert not PerformanceAssessment.objects.exists()


def test_overlapping_periods_are_refused_and_the_next_one_is_not():
    agreement = running()
    record(agreement, date(2026, 4, 1), date(2026, 6, 30))
    for start, end in [(date(2026, 6, 30), date(2026, 9, 30)), (date(2026, 4, 1), date(2026, 4, 2))]:
        with pytest.raises(assessments.AssessmentError) as refused:
            record(agreement, start, end)
        assert "overlaps the assessment of 01/04/2026 to 30/06/2026" in refused.value.errors["period_start"][0]
    assert record(agreement, date(2026, 7, 1), date(2026, 9, 30)).pk
    assert agreement.assessments.count() == 2


def test_every_kpi_and_the_whole_must_be_rated_with_the_regulations_ratings():
    agreement = running()
    with pytest.raises(assessments.AssessmentError) as refused:
        record(agreement, rating="excellent", ratings={1: Rating.GOOD, 2: "", 3: "splendid"})
    assert set(refused.value.errors) == {"rating", "rating_2", "rating_3"}


def test_only_its_commissioners_assess_and_only_an_accepted_agreement(administrator):
    agreement = running()
    for outsider in (agreement.admin, person_with_role(Role.COMMISSIONER), administrator, provider_member(agreement)):
        with pytest.raises(PermissionDenied):
            assessments.assessment_record(
                actor=outsider,
                agreement=agreement,
                period_start=date(2026, 4, 1),
                period_end=date(2026, 9, 30),
                rating=Rating.GOOD,
                measure_ratings={},
            )
    issued = direct_agreement(issue=True)
    with pytest.raises(assessments.AssessmentError) as refused:
        assessments.assessment_record(
            actor=issued.commissioner_person,
            agreement=issued,
            period_start=date(2026, 4, 1),
            period_end=date(2026, 9, 30),
            rating=Rating.GOOD,
            measure_ratings={},
        )
    assert "once the agreement is accepted" in str(refused.value)


def test_the_next_assessment_is_due_twelve_months_from_the_start_or_the_last_and_on_termination(settings):
    agreement = running()
    agreement.ends_on = date(2028, 3, 31)
    assert assessments.next_due(agreement, []) == date(2027, 3, 31)
    made = record(agreement, date(2026, 4, 1), date(2026, 9, 30))
    assert assessments.next_due(agreement, [made]) == date(2027, 9, 30)
    settings.CONTRACTS = {**settings.CONTRACTS, "assessment_every_months": 6}
    assert assessments.next_due(agreement, [made]) == date(2027, 3, 31)
    agreement.ends_on = date(2027, 1, 31)
    assert assessments.next_due(agreement, [made]) == date(2027, 1, 31)  # on termination
    made.period_end = date(2027, 1, 31)
    assert assessments.next_due(agreement, [made]) is None


def test_the_worklist_asks_for_an_assessment_due_within_30_days_or_overdue(client):
    agreement = running()
    client.force_login(agreement.commissioner_person)
    assert "Assess performance" not in client.get("/commissioning/").content.decode()  # due 31/03/2027
    builder_travel(datetime(2027, 3, 10, 10, tzinfo=clock.LONDON), tick=False)
    client.force_login(agreement.commissioner_person)
    html = client.get("/commissioning/").content.decode()
    assert "Assess performance" in html and f"/contracts/commissioning/{agreement.reference}/performance/" in html
    client.force_login(person_with_role(Role.COMMISSIONER))
    assert "Assess performance" not in client.get("/commissioning/").content.decode()


def test_an_agreement_that_need_not_be_assessed_is_never_a_task_but_may_be_assessed(client):
    agreement = running(value=Decimal("30000.00"), kpis=KPIS[:1])
    assert not agreement.needs_performance_assessment
    builder_travel(datetime(2027, 4, 10, 10, tzinfo=clock.LONDON), tick=False)
    client.force_login(agreement.commissioner_person)
    assert "Assess performance" not in client.get("/commissioning/").content.decode()
    html = client.get(f"/contracts/commissioning/{agreement.reference}/performance/").content.decode()
    assert "does not need a periodic performance assessment" in html and "You may still record one" in html
    assert "Record the assessment" in html


def test_the_commissioners_page_shows_results_charts_with_tables_and_records_an_assessment(client):
    agreement = running()
    report(agreement, 1, [120, 80, 30])
    report(agreement, 2, [100, 90, 40])
    client.force_login(agreement.commissioner_person)
    url = f"/contracts/commissioning/{agreement.reference}/performance/"
    html = client.get(url).content.decode()
    assert html.count('<svg class="app-chart"') == 3 and "KPI 1: results by return" in html
    assert "The next assessment is due by" in html and "31 March 2027" in html
    # Pre-filled from the returns: KPI 1 Good, KPI 2 Approaching target, KPI 3 Requires improvement.
    for words in ("Suggested: Good", "Suggested: Approaching target", "Suggested: Requires improvement"):
        assert words in html
    refused = client.post(url, {"period_start": "01/04/2026", "period_end": "30/09/2026", "rating": "good"})
    body = refused.content.decode()
    assert refused.status_code == 200 and "govuk-error-summary" in body and "Choose a rating for KPI 1" in body
    data = {
        "period_start": "01/04/2026",
        "period_end": "30/09/2026",
        "rating_1": "good",
        "rating_2": "approaching",
        "rating_3": "requires_improvement",
        "rating": "requires_improvement",
        "note": "",
    }
    refused = client.post(url, data).content.decode()
    assert "Say why performance requires improvement" in refused
    assert client.post(url, {**data, "note": "Home visits fell short; a plan is agreed"}).status_code == 302
    html = client.get(url).content.decode()
    assert "1 April 2026 to 30 September 2026: Requires improvement" in html and "a plan is agreed" in html
    assert "The next assessment is due by" in html and "31 March 2027" in html  # on termination, before 12 months


def test_the_provider_reads_the_assessments_and_nobody_else_does(client):
    agreement = running()
    report(agreement, 1, [120, 95, 40])
    record(agreement)
    for reader in (agreement.admin, provider_member(agreement)):
        client.force_login(reader)
        html = client.get(f"/contracts/yours/{agreement.reference}/performance/").content.decode()
        assert "1 April 2026 to 30 September 2026: Good" in html and "Record the assessment" not in html
        assert client.post(f"/contracts/yours/{agreement.reference}/performance/").status_code == 405
    client.force_login(person_with_role(Role.PROVIDER_ADMIN))
    assert client.get(f"/contracts/yours/{agreement.reference}/performance/").status_code == 404
    client.force_login(person_with_role(Role.COMMISSIONER))
    assert client.get(f"/contracts/commissioning/{agreement.reference}/performance/").status_code == 404


def test_an_administrator_reads_the_page_but_cannot_record(client, administrator):
    agreement = running()
    client.force_login(administrator)
    url = f"/contracts/commissioning/{agreement.reference}/performance/"
    assert "Record the assessment" not in client.get(url).content.decode()
    assert client.post(url, {"rating": "good"}).status_code == 404


def test_the_public_page_shows_the_latest_assessments_ratings_where_one_is_needed(client):
    agreement = running()
    record(agreement, date(2026, 4, 1), date(2026, 6, 30), rating=Rating.GOOD)
    record(agreement, date(2026, 7, 1), date(2026, 9, 30), rating=Rating.APPROACHING)
    html = client.get(f"/contracts/{agreement.reference}/").content.decode()
    assert "Latest performance assessment: 1 July 2026 to 30 September 2026" in html and "Approaching target" in html
    other = running(value=Decimal("30000.00"), kpis=KPIS[:1])
    record(other, ratings={1: Rating.GOOD})
    assert "Latest performance assessment" not in client.get(f"/contracts/{other.reference}/").content.decode()


def test_the_default_period_follows_the_last_assessment_and_the_accepted_returns():
    agreement = running()
    report(agreement, 1, [120, 95, 40])
    report(agreement, 2, [100, 90, 40])
    today = clock.today()
    assert assessments.default_period(agreement, [], today) == (date(2026, 4, 1), date(2026, 9, 30))
    made = record(agreement, date(2026, 4, 1), date(2026, 6, 30))
    assert assessments.default_period(agreement, [made], today) == (date(2026, 7, 1), date(2026, 9, 30))
    assert assessments.default_period(agreement, [], date(2026, 4, 2))[1] >= date(2026, 4, 1)
    assert today - timedelta(days=1) >= date(2026, 9, 30)


def test_a_drafts_page_shows_its_kpis_without_the_form_and_refuses_a_post(client):
    draft = direct_agreement()
    client.force_login(draft.commissioner_person)
    url = f"/contracts/commissioning/{draft.reference}/performance/"
    html = client.get(url).content.decode()
    assert "once the provider accepts the agreement" in html and "Record the assessment" not in html
    assert client.post(url, {"rating": "good"}).status_code == 404
    client.force_login(draft.admin)
    assert client.get(f"/contracts/yours/{draft.reference}/performance/").status_code == 404
