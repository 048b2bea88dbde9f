"""The standstill, counted per regime from the award notice's publication: the pure counting, the rules as
data, recording the notice (service and pages), the countdown, the letters, and awards made before."""

import importlib
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.apps import apps as django_apps
from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.core import clock
from commissioning.core.workdays import add_working_days, is_working_day, working_days_between
from commissioning.evaluation import services
from commissioning.evaluation.models import Evaluation, EvaluationStatus
from commissioning.evaluation.services import EvaluationError
from commissioning.evaluation.standstill import (
    in_standstill,
    rule_in_words,
    standstill_ends,
    standstill_first_day,
    standstill_last_day,
)
from commissioning.opportunities.models import Opportunity, StandstillRule
from commissioning.opportunities.tests.factories import commissioner_at

from .factories import moderate_everything, opened_tender, score_everything

ACT = {
    "starts_days_after_publication": 0,
    "first_day_counts": True,
    "notice": "contract award notice",
    "basis": "the Procurement Act 2023, section 51",
}
PSR = {
    "starts_days_after_publication": 1,
    "first_day_counts": False,
    "notice": "notice of intention to award",
    "basis": "the Health Care Services (Provider Selection Regime) Regulations 2023, regulation 12",
}

days = st.dates(min_value=date(2026, 1, 1), max_value=date(2029, 12, 31))
hours = st.integers(min_value=0, max_value=23)
lengths = st.integers(min_value=1, max_value=20)


def _midnight_after(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, clock.LONDON)


# ---------------------------------------------------------------------------
# The counting, as pure functions


@given(days, hours, lengths)
def test_under_the_act_day_one_is_the_publication_day_when_it_is_a_working_day(day, hour, working_days):
    published = datetime.combine(day, time(hour), clock.LONDON)
    first = standstill_first_day(day, ACT)
    if is_working_day(day):
        assert first == day
    else:
        # Otherwise the next working day is day 1: nothing between is a working day.
        assert first > day and is_working_day(first) and working_days_between(day, first) == 1
    last = standstill_last_day(day, working_days, ACT)
    assert is_working_day(last)
    assert working_days_between(first - timedelta(days=1), last) == working_days  # day 1 to day n, inclusive
    ends = standstill_ends(published, working_days, ACT)
    assert clock.london(ends) == _midnight_after(last)
    assert in_standstill(published, working_days, ends - timedelta(microseconds=1), ACT)
    assert not in_standstill(published, working_days, ends, ACT)


@given(days, hours, lengths)
def test_under_the_psr_counting_begins_the_day_after_the_notice(day, hour, working_days):
    published = datetime.combine(day, time(hour), clock.LONDON)
    begins = day + timedelta(days=1)
    first = standstill_first_day(day, PSR)
    # Regulation 12: it begins the day after publication and the working days are counted after that day.
    assert first > begins and is_working_day(first) and working_days_between(begins, first) == 1
    last = standstill_last_day(day, working_days, PSR)
    assert is_working_day(last) and working_days_between(begins, last) == working_days
    ends = standstill_ends(published, working_days, PSR)
    assert clock.london(ends) == _midnight_after(last)
    act_ends = standstill_ends(published, working_days, ACT)
    assert ends >= act_ends
    if is_working_day(day):
        # The publication day counts under the Act and never under the regime: the Act's standstill ends sooner.
        assert ends > act_ends


@given(days, days, lengths, st.sampled_from([ACT, PSR]))
def test_a_later_notice_never_ends_the_standstill_sooner(one, other, working_days, rule):
    early, late = sorted((one, other))
    at = time(12)
    assert standstill_ends(datetime.combine(early, at, clock.LONDON), working_days, rule) <= standstill_ends(
        datetime.combine(late, at, clock.LONDON), working_days, rule
    )


@given(days, hours, st.sampled_from([ACT, PSR]))
def test_no_standstill_ends_as_it_starts(day, hour, rule):
    published = datetime.combine(day, time(hour), clock.LONDON)
    assert standstill_ends(published, 0, rule) == published
    assert not in_standstill(published, 0, published, rule)


def test_a_negative_standstill_is_refused():
    with pytest.raises(ValueError):
        standstill_ends(datetime(2027, 1, 4, 12, tzinfo=UTC), -1, ACT)


def test_the_act_and_the_psr_over_christmas_and_new_year():
    # Published on Monday 21 December 2026 (25 and 28 December and 1 January are bank holidays).
    published = datetime(2026, 12, 21, 15, 0, tzinfo=UTC)
    # The Act: 21, 22, 23, 24, 29, 30, 31 December and 4 January.
    assert clock.london(standstill_ends(published, 8, ACT)) == datetime(2027, 1, 5, 0, 0, tzinfo=clock.LONDON)
    # The regime: it begins on 22 December; 23, 24, 29, 30, 31 December and 4, 5, 6 January are counted.
    assert clock.london(standstill_ends(published, 8, PSR)) == datetime(2027, 1, 7, 0, 0, tzinfo=clock.LONDON)


def test_the_publication_day_is_the_day_in_london():
    # 23:30 UTC on Monday 7 June 2027 is 00:30 on Tuesday 8 June in London: Tuesday is day 1.
    published = datetime(2027, 6, 7, 23, 30, tzinfo=UTC)
    first = standstill_first_day(clock.london(published).date(), ACT)
    assert first == date(2027, 6, 8)
    assert clock.london(standstill_ends(published, 1, ACT)) == datetime(2027, 6, 9, 0, 0, tzinfo=clock.LONDON)


def test_the_rule_in_words_names_the_notice_and_the_law():
    assert rule_in_words(ACT, 8) == (
        "8 working days beginning with the day the contract award notice is published. "
        "It follows the Procurement Act 2023, section 51."
    )
    assert rule_in_words(PSR, 8) == (
        "8 working days, beginning on the day after the notice of intention to award is published and ending at "
        "midnight at the end of the 8th working day after that day. It follows the Health Care Services (Provider "
        "Selection Regime) Regulations 2023, regulation 12."
    )


# ---------------------------------------------------------------------------
# The rules as data


@pytest.mark.django_db
def test_each_regime_has_its_counting_rule_as_data():
    rules = {rule.regime: rule for rule in StandstillRule.objects.all()}
    assert set(rules) == {"below_threshold", "light_touch", "competitive", "psr", "grant"}
    for regime in ("competitive", "light_touch", "below_threshold"):
        rule = rules[regime]
        assert (rule.working_days, rule.starts_days_after_publication, rule.first_day_counts) == (8, 0, True)
        assert "section 51" in rule.basis
    assert rules["below_threshold"].voluntary and rules["below_threshold"].max_working_days == 30
    assert not rules["competitive"].voluntary and rules["competitive"].notice == "contract award notice"
    psr = rules["psr"]
    assert (psr.working_days, psr.starts_days_after_publication, psr.first_day_counts) == (8, 1, False)
    assert psr.notice == "notice of intention to award" and "regulation 12" in psr.basis
    assert rules["grant"].working_days == 0


# ---------------------------------------------------------------------------
# The award and the notice, through the services


@pytest.fixture
def opened(db):
    made = opened_tender()
    made.shifts = []
    yield made
    for shift in reversed(made.shifts):
        shift.stop()


def approved(opened, regime: str | None = None) -> Evaluation:
    if regime:
        Opportunity.objects.filter(pk=opened.opportunity.pk).update(regime=regime)
        opened.opportunity.refresh_from_db()
    evaluation = services.evaluation_start(actor=opened.commissioner, opportunity=opened.opportunity)
    panelist = services.panelist_appoint(actor=opened.commissioner, evaluation=evaluation, user=opened.evaluator())
    score_everything(evaluation, panelist, lambda submission, question: 3)
    evaluation.refresh_from_db()
    moderate_everything(evaluation, opened.commissioner, lambda submission, question: 3)
    evaluation = services.evaluation_recommend(
        actor=opened.commissioner, evaluation=evaluation, note="The first bid wins"
    )
    return services.evaluation_approve(actor=opened.second_commissioner, evaluation=evaluation)


def awarded(opened, regime: str | None = None, **kwargs) -> Evaluation:
    """Approved and awarded; then the clock moves on two hours, for a notice published after the decision."""
    evaluation = services.evaluation_award(actor=opened.commissioner, evaluation=approved(opened, regime), **kwargs)
    shift = time_machine.travel(clock.now() + timedelta(hours=2))
    shift.start()
    opened.shifts.append(shift)
    return evaluation


def record(opened, evaluation, published_at=None, reference="", actor=None) -> Evaluation:
    return services.award_notice_record(
        actor=actor or opened.commissioner,
        evaluation=evaluation,
        published_at=published_at or clock.now() - timedelta(minutes=30),
        reference=reference,
    )


@pytest.mark.django_db
def test_the_standstill_does_not_start_until_the_notice_is_published(opened):
    evaluation = awarded(opened, "competitive")
    assert evaluation.status == EvaluationStatus.AWARDED and evaluation.standstill_days == 8
    assert evaluation.standstill_rule == StandstillRule.objects.get(regime="competitive").snapshot()
    assert evaluation.standstill_ends is None and evaluation.notice_published_at is None
    assert evaluation.awaiting_notice
    # However long it waits, the contract cannot be concluded before the notice is out.
    assert not services.may_conclude_contract(evaluation, clock.now() + timedelta(days=365))


@pytest.mark.django_db
def test_recording_the_notice_starts_the_act_standstill_on_the_publication_day(opened):
    evaluation = awarded(opened, "competitive")
    published = clock.now() - timedelta(minutes=30)
    evaluation = record(opened, evaluation, published, reference="012345-2027")
    assert evaluation.notice_published_at == published and evaluation.notice_reference == "012345-2027"
    assert evaluation.notice_recorded_by == opened.commissioner and not evaluation.awaiting_notice
    published_on = clock.london(published).date()
    assert is_working_day(published_on)  # the deadline's day, a working day
    last = add_working_days(published_on - timedelta(days=1), 8)
    assert clock.london(evaluation.standstill_ends) == _midnight_after(last)
    assert not services.may_conclude_contract(evaluation, evaluation.standstill_ends - timedelta(microseconds=1))
    assert services.may_conclude_contract(evaluation, evaluation.standstill_ends)
    event = AuditEvent.objects.get(verb="evaluation.award_notice_record")
    assert event.after["notice_reference"] == "012345-2027" and event.actor == opened.commissioner


@pytest.mark.django_db
def test_under_the_psr_the_standstill_counts_from_the_day_after_the_notice(opened):
    evaluation = awarded(opened, "psr")
    assert evaluation.standstill_rule["notice"] == "notice of intention to award"
    published = clock.now() - timedelta(minutes=30)
    evaluation = record(opened, evaluation, published)
    published_on = clock.london(published).date()
    last = add_working_days(published_on + timedelta(days=1), 8)
    assert clock.london(evaluation.standstill_ends) == _midnight_after(last)
    # One working day later than the Act would count from the same notice.
    assert evaluation.standstill_ends > standstill_ends(published, 8, ACT)


@pytest.mark.django_db
def test_a_voluntary_standstill_below_the_threshold_follows_the_acts_counting(opened):
    evaluation = awarded(opened, standstill_days=3)
    assert evaluation.standstill_days == 3 and evaluation.standstill_rule["first_day_counts"] is True
    published = clock.now() - timedelta(minutes=30)
    evaluation = record(opened, evaluation, published)
    assert evaluation.standstill_ends == standstill_ends(published, 3, ACT)


@pytest.mark.django_db
def test_the_voluntary_maximum_is_the_rules_and_the_law_sets_the_rest(opened):
    evaluation = approved(opened)
    with pytest.raises(EvaluationError, match="0 to 30"):
        services.evaluation_award(actor=opened.commissioner, evaluation=evaluation, standstill_days=31)
    StandstillRule.objects.filter(regime="below_threshold").update(max_working_days=10)
    with pytest.raises(EvaluationError, match="0 to 10"):
        services.evaluation_award(actor=opened.commissioner, evaluation=evaluation, standstill_days=11)
    Opportunity.objects.filter(pk=opened.opportunity.pk).update(regime="competitive")
    evaluation.opportunity.refresh_from_db()
    with pytest.raises(EvaluationError, match="set by law"):
        services.evaluation_award(actor=opened.commissioner, evaluation=evaluation, standstill_days=5)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.APPROVED


@pytest.mark.django_db
def test_no_standstill_means_the_contract_may_be_concluded_at_once_and_there_is_no_notice(opened):
    evaluation = awarded(opened, standstill_days=0)
    assert evaluation.standstill_ends == evaluation.decided_at and not evaluation.awaiting_notice
    assert services.may_conclude_contract(evaluation)
    with pytest.raises(EvaluationError, match="No standstill applies"):
        record(opened, evaluation)


@pytest.mark.django_db
def test_a_change_to_the_rule_after_the_award_does_not_move_its_standstill(opened):
    evaluation = awarded(opened, "competitive")
    StandstillRule.objects.filter(regime="competitive").update(starts_days_after_publication=1, first_day_counts=False)
    published = clock.now() - timedelta(minutes=30)
    evaluation = record(opened, evaluation, published)
    assert evaluation.standstill_ends == standstill_ends(published, 8, ACT)


@pytest.mark.django_db
def test_only_a_commissioner_of_the_opportunity_records_the_notice(opened):
    evaluation = awarded(opened)
    for outsider in (
        commissioner_at(),
        opened.evaluator(),
        person_with_role(Role.PROVIDER_ADMIN),
        person_with_role(Role.ADMINISTRATOR),
    ):
        with pytest.raises(EvaluationError, match="Only a commissioner"):
            record(opened, evaluation, actor=outsider)
    evaluation.refresh_from_db()
    assert evaluation.notice_published_at is None
    assert not AuditEvent.objects.filter(verb="evaluation.award_notice_record").exists()


@pytest.mark.django_db
def test_the_notice_cannot_be_recorded_before_the_award(opened):
    evaluation = approved(opened)
    with pytest.raises(EvaluationError, match="approved"):
        record(opened, evaluation)
    evaluation.refresh_from_db()
    assert evaluation.notice_published_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("when", "field", "message"),
    [
        (lambda ev: ev.decided_at - timedelta(minutes=1), "published_at", "before the award decision"),
        (lambda ev: clock.now() + timedelta(hours=1), "published_at", "cannot be in the future"),
        (lambda ev: datetime(2027, 1, 4, 12), "published_at", "Enter the date and time"),  # no time zone
    ],
)
def test_a_publication_time_that_cannot_be_is_refused(opened, when, field, message):
    evaluation = awarded(opened)
    with pytest.raises(EvaluationError) as refused:
        record(opened, evaluation, when(evaluation))
    assert message in " ".join(refused.value.errors[field])
    evaluation.refresh_from_db()
    assert evaluation.notice_published_at is None and evaluation.standstill_ends is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "reference",
    [
        "http://www.find-tender.service.gov.uk/Notice/012345-2027",
        "https://find-tender.example/Notice/012345-2027",
        "https://www.find-tender.service.gov.uk@evil.example/Notice/1",
        "https://www.find-tender.service.gov.uk:8443/Notice/1",
        "https://www.find-tender.service.gov.uk/Notice/01 2345",
        "012345 2027",
        "\u200b",
        "012345-2027\u202e",
        "<script>",
        "x" * 61,
    ],
)
def test_a_notice_reference_that_is_not_find_a_tenders_is_refused(opened, reference):
    evaluation = awarded(opened)
    with pytest.raises(EvaluationError) as refused:
        record(opened, evaluation, reference=reference)
    assert "reference" in refused.value.errors
    evaluation.refresh_from_db()
    assert evaluation.notice_published_at is None


@pytest.mark.django_db
def test_the_notice_is_recorded_once_and_a_repeat_changes_nothing(opened):
    evaluation = awarded(opened)
    published = clock.now() - timedelta(minutes=30)
    address = "https://www.find-tender.service.gov.uk/Notice/012345-2027"
    first = record(opened, evaluation, published, reference=address)
    again = record(opened, evaluation, published, reference=address)  # a double click
    assert again.standstill_ends == first.standstill_ends
    assert AuditEvent.objects.filter(verb="evaluation.award_notice_record").count() == 1
    with pytest.raises(EvaluationError, match="already recorded"):
        record(opened, evaluation, published + timedelta(minutes=5), reference=address)
    evaluation.refresh_from_db()
    assert evaluation.notice_published_at == published


# ---------------------------------------------------------------------------
# The letters say which rule applies


# ---------------------------------------------------------------------------
# Awards made before the notice was recorded


@pytest.mark.django_db
def test_awards_made_before_take_the_decision_as_the_notices_publication(opened):
    evaluation = awarded(opened, "competitive")
    day_after = standstill_ends(evaluation.decided_at, 8, PSR)  # close to the old count from the day after
    Evaluation.objects.filter(pk=evaluation.pk).update(standstill_rule={}, standstill_ends=day_after)
    migration = importlib.import_module("commissioning.evaluation.migrations.0004_award_notice")
    migration.from_the_decision(django_apps, None)
    evaluation.refresh_from_db()
    assert evaluation.notice_published_at == evaluation.decided_at
    assert evaluation.standstill_rule == StandstillRule.objects.get(regime="competitive").snapshot()
    # The end its letters announced is later than the Act's count, so it stands.
    assert evaluation.standstill_ends == day_after > standstill_ends(evaluation.decided_at, 8, ACT)


# ---------------------------------------------------------------------------
# The pages


def base(opened) -> str:
    return f"/commissioning/opportunities/{opened.opportunity.reference}/evaluation/"


def text_of(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.django_db
def test_the_award_page_says_how_the_standstill_is_counted_under_the_regime(client, opened):
    approved(opened, "competitive")
    client.force_login(opened.commissioner)
    body = text_of(client.get(base(opened) + "award/"))
    assert "8 working days beginning with the day the contract award notice is published" in body
    assert "section 51" in body and "The standstill starts when the contract award notice is published" in body


@pytest.mark.django_db
def test_the_countdown_says_the_standstill_has_not_started_until_the_notice_is_recorded(client, opened):
    awarded(opened, "psr")
    client.force_login(opened.commissioner)
    body = text_of(client.get(base(opened) + "standstill/"))
    assert "The standstill has not started" in body
    assert "The contract cannot be concluded" in body and "No: the standstill has not started" in body
    assert "beginning on the day after the notice of intention to award is published" in body
    assert "Record the notice of intention to award" in body
    assert f'href="{base(opened)}standstill/notice/"' in client.get(base(opened) + "standstill/").content.decode()


@pytest.mark.django_db
def test_a_commissioner_records_the_notice_and_the_countdown_starts(client, opened):
    evaluation = awarded(opened, "competitive")
    client.force_login(opened.commissioner)
    url = base(opened) + "standstill/notice/"
    body = text_of(client.get(url))
    assert "Record the contract award notice" in body and "When was the notice published?" in body
    published = clock.london(clock.now() - timedelta(minutes=30))
    address = "https://www.find-tender.service.gov.uk/Notice/012345-2027"
    response = client.post(url, {"published_at": f"{published:%d/%m/%Y %H:%M}", "reference": address})
    assert response.status_code == 302 and response["Location"] == base(opened) + "standstill/"
    evaluation.refresh_from_db()
    assert evaluation.notice_published_at == published.replace(second=0, microsecond=0)
    page = client.get(base(opened) + "standstill/")
    body = text_of(page)
    assert "The standstill is running" in body and "working days left after today" in body
    assert "The rule that applies" in body and "section 51" in body
    assert f"First working day counted {published:%A} {published.day} {published:%B %Y}" in body
    assert f'href="{address}"' in page.content.decode()
    assert "recorded it on" in text_of(client.get(url))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"published_at": "", "reference": ""}, "published_at", "Enter the date and time the notice was published"),
        ({"published_at": "31/02/2027 10:00", "reference": ""}, "published_at", "like 14/01/2027 09:30"),
        ({"published_at": "yesterday", "reference": "kept-1"}, "published_at", "like 14/01/2027 09:30"),
        ({"published_at": "31/12/9999 23:59", "reference": ""}, "published_at", "before 1 January"),
        ({"published_at": "TOMORROW", "reference": ""}, "published_at", "cannot be in the future"),
        ({"published_at": "01/01/2000 09:00", "reference": ""}, "published_at", "before the award decision"),
        ({"published_at": "NOW", "reference": "https://evil.example/x"}, "reference", "on Find a Tender"),
        ({"published_at": "NOW", "reference": "x" * 201}, "reference", "200 characters or fewer"),
    ],
)
def test_bad_input_on_the_notice_page_gets_the_error_summary_and_keeps_what_was_typed(
    client, opened, data, field, message
):
    evaluation = awarded(opened)
    client.force_login(opened.commissioner)
    if data["published_at"] == "NOW":
        data = {**data, "published_at": f"{clock.london(clock.now() - timedelta(minutes=5)):%d/%m/%Y %H:%M}"}
    if data["published_at"] == "TOMORROW":
        data = {**data, "published_at": f"{clock.london(clock.now() + timedelta(days=1)):%d/%m/%Y %H:%M}"}
    response = client.post(base(opened) + "standstill/notice/", data)
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert message in html and f'href="#id_{field}"' in html
    if data["reference"] and len(data["reference"]) <= 200:
        assert f'value="{data["reference"]}"' in html
    evaluation.refresh_from_db()
    assert evaluation.notice_published_at is None and evaluation.standstill_ends is None


@pytest.mark.django_db
def test_the_notice_page_is_404_for_anyone_but_the_opportunitys_commissioners(client, opened):
    awarded(opened)
    url = base(opened) + "standstill/notice/"
    published = f"{clock.london(clock.now() - timedelta(minutes=5)):%d/%m/%Y %H:%M}"
    for outsider in (commissioner_at(), opened.evaluator(), opened.bidders[0][0]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {"published_at": published}).status_code == 404
    assert not Evaluation.objects.filter(notice_published_at__isnull=False).exists()
