"""Dates and times in one style, the GOV.UK one."""

from datetime import UTC, date, datetime

from commissioning.core import clock
from commissioning.core.formats import format_date, format_datetime, format_time


def test_a_day_reads_like_3_march_2027_with_its_weekday_when_asked():
    assert format_date(date(2027, 3, 3)) == "3 March 2027"
    assert format_date(date(2027, 3, 3), weekday=True) == "Wednesday 3 March 2027"


def test_a_moment_reads_in_uk_time_with_am_and_pm():
    noon = datetime(2027, 3, 3, 12, 0, tzinfo=clock.LONDON)
    assert format_datetime(noon) == "3 March 2027 at 12:00pm"
    assert format_time(datetime(2027, 3, 3, 9, 8, tzinfo=clock.LONDON)) == "9:08am"
    assert format_time(datetime(2027, 3, 3, 0, 5, tzinfo=clock.LONDON)) == "12:05am"
    # 20:08:07 UTC in summer is 21:08:07 in London.
    summer = datetime(2027, 7, 1, 20, 8, 7, tzinfo=UTC)
    assert format_datetime(summer, seconds=True) == "1 July 2027 at 9:08:07pm"
    assert format_date(summer) == "1 July 2027"


def test_iso_text_as_records_keep_it_reads_the_same_way():
    assert format_date("2027-12-31") == "31 December 2027"
    assert format_datetime("2027-12-31T23:30:00+00:00") == "31 December 2027 at 11:30pm"
    # Late on 30 October in UTC is already 31 October in London, still on British Summer Time.
    assert format_date("2027-10-30T23:30:00+00:00") == "31 October 2027"


def test_nothing_reads_as_nothing():
    for empty in (None, ""):
        assert format_date(empty) == format_time(empty) == format_datetime(empty) == ""


def test_the_figures_pages_state_follow_the_settings(client, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60 * 3
    assert "3 hours" in client.get("/cookies/").content.decode()
    settings.PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
    assert "The link works for 1 day." in client.get("/password-reset/sent/").content.decode()
