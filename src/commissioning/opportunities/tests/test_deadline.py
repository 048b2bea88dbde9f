"""One definition of "the deadline has passed", in Python and in SQL, used by every read path.

Sealed, open and closed are all read from it; a test below holds the SQL form to the Python
form over every combination of status, publication and deadline, and another fails when code
outside the definition compares a submission deadline with the clock itself.
"""

import itertools
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from commissioning.opportunities.models import Opportunity, Status

from .factories import draft

pytestmark = pytest.mark.django_db

MOMENT = datetime(2027, 3, 3, 12, 0, tzinfo=UTC)
DEADLINES = {
    "none": None,
    "a second ago": MOMENT - timedelta(seconds=1),
    "now": MOMENT,
    "in a second": MOMENT + timedelta(seconds=1),
}


def test_the_sql_and_python_forms_of_the_deadline_agree_in_every_state():
    base = draft()
    cases = {}
    for status, published, deadline in itertools.product(Status.values, (True, False), DEADLINES):
        copy = Opportunity.objects.get(pk=base.pk)
        copy.pk = None
        copy.reference = f"LCH-T-{len(cases):04d}"
        copy.status = status
        copy.published_at = MOMENT - timedelta(days=30) if published else None
        copy.submission_deadline = DEADLINES[deadline]
        copy.question_deadline = None
        copy.save()
        cases[copy.pk] = (status, published, deadline)
    with time_machine.travel(MOMENT, tick=False):
        rows = Opportunity.objects.filter(pk__in=cases)
        unsealed = set(rows.unsealed_at(MOMENT).values_list("pk", flat=True))
        sealed = set(rows.sealed_at(MOMENT).values_list("pk", flat=True))
        opened = set(rows.open_at(MOMENT).values_list("pk", flat=True))
        closed = set(rows.closed_at(MOMENT).values_list("pk", flat=True))
        for opportunity in rows:
            case = cases[opportunity.pk]
            passed = opportunity.deadline_passed()
            assert passed == (opportunity.pk in unsealed), case
            assert opportunity.sealed == (opportunity.pk in sealed) == (not passed), case
            assert opportunity.is_closed == (opportunity.pk in closed), case
            if opportunity.status == Status.PUBLISHED and opportunity.published_at is not None:
                # Publishing sets both, so the finder's index on status and deadline answers "open".
                assert opportunity.is_open == (opportunity.pk in opened), case
    # The deadline itself is the first moment of "passed": a bid at 12:00:00 is late.
    at_deadline = [pk for pk, case in cases.items() if case[1] and case[2] == "now"]
    assert at_deadline and set(at_deadline) <= unsealed


# "Has the deadline passed" written again: a submission deadline compared with the clock or a moment.
_AGAIN = re.compile(
    r"submission_deadline__(?:lte|gt)\b"
    r"|(?:now|clock\.now\(\)|moment)\s*[<>]=?\s*[\w.]*submission_deadline"
    r"|submission_deadline\s*[<>]=?\s*(?:now|clock\.now\(\)|moment)"
)


def test_nothing_outside_the_definition_decides_for_itself_whether_the_deadline_has_passed():
    root = Path(__file__).resolve().parents[2]
    definition = root / "opportunities" / "models.py"
    found = []
    for path in root.rglob("*.py"):
        if path == definition or "tests" in path.parts or "migrations" in path.parts or path.name == "demo.py":
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if _AGAIN.search(line):
                found.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not found, "Use Opportunity.deadline_passed / deadline_passed_q instead:\n" + "\n".join(found)
