"""Audit events about letters written while they were evaluation's read as feedback's.

The log is append-only, so events keep the object type they were written with
("evaluation.letter"); the log's filter lists the current name once and finds
the events filed under either.
"""

import pytest

from commissioning.audit.models import AuditEvent
from commissioning.audit.selectors import (
    AuditFilter,
    audit_events_list,
    audit_object_type_current,
    audit_object_types,
)
from commissioning.evaluation.tests.awarded import awarded_tender
from commissioning.feedback import services
from commissioning.feedback.models import Letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_before_and_after():
    """One letter-send event as written before the move, one written now."""
    opened, evaluation = awarded_tender()
    first, second = Letter.objects.filter(evaluation=evaluation).order_by("pk")[:2]
    services.letter_send(actor=opened.commissioner, letter=first)
    now = AuditEvent.objects.get(verb="evaluation.letter_send", object_id=str(first.pk))
    before = AuditEvent.objects.create(
        occurred_at=now.occurred_at,
        actor_label="system",
        verb="evaluation.letter_send",
        object_type="evaluation.letter",
        object_id=str(second.pk),
        object_repr=str(second),
    )
    yield before, now


def test_new_events_name_the_letter_as_feedbacks(sent_before_and_after):
    _, now = sent_before_and_after
    assert now.object_type == "feedback.letter"


def test_the_filter_lists_the_current_name_once_and_never_the_old_one(sent_before_and_after):
    types = audit_object_types()
    assert types.count("feedback.letter") == 1
    assert "evaluation.letter" not in types
    assert audit_object_type_current("evaluation.letter") == "feedback.letter"
    assert audit_object_type_current("evaluation.evaluation") == "evaluation.evaluation"


@pytest.mark.parametrize("asked", ["feedback.letter", "evaluation.letter"])
def test_filtering_by_either_name_finds_the_events_filed_under_both(sent_before_and_after, administrator, asked):
    before, now = sent_before_and_after
    found = set(audit_events_list(user=administrator, filters=AuditFilter(object_type=asked)))
    assert found == {before, now}


def test_other_types_are_filtered_as_before(sent_before_and_after, administrator):
    found = audit_events_list(user=administrator, filters=AuditFilter(object_type="evaluation.evaluation"))
    assert found.exists() and not found.filter(object_type__in=["evaluation.letter", "feedback.letter"]).exists()


def test_the_log_page_shows_each_event_by_the_records_current_name(client, sent_before_and_after, administrator):
    client.force_login(administrator)
    body = client.get("/administration/audit/", {"object_type": "feedback.letter"}).content.decode()
    assert body.count("feedback.letter ") == 2 and "evaluation.letter " not in body
