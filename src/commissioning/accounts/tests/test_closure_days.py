"""The administrators' closure days: the service that keeps them and the page that shows them."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from commissioning.accounts import services
from commissioning.audit.models import AuditEvent
from commissioning.core.models import ClosureDay
from commissioning.core.workdays import closure_days

pytestmark = pytest.mark.django_db

MONDAY = date(2027, 3, 1)


def test_an_administrator_adds_and_removes_a_closure_day_and_each_is_audited(administrator):
    closure = services.closure_day_add(actor=administrator, day=MONDAY, reason="  Offices closed  ")
    assert closure.reason == "Offices closed" and MONDAY in closure_days()
    services.closure_day_remove(actor=administrator, closure=closure)
    assert MONDAY not in closure_days()
    verbs = list(AuditEvent.objects.filter(actor=administrator).values_list("verb", flat=True).order_by("pk"))
    assert verbs == ["closure_day.add", "closure_day.remove"]


def test_a_weekend_or_a_day_already_closed_is_refused(administrator):
    with pytest.raises(services.ClosureDayError, match="weekend"):
        services.closure_day_add(actor=administrator, day=date(2027, 3, 6), reason="Saturday")
    services.closure_day_add(actor=administrator, day=MONDAY, reason="Closed")
    with pytest.raises(services.ClosureDayError, match="already a closure day"):
        services.closure_day_add(actor=administrator, day=MONDAY, reason="Again")
    assert ClosureDay.objects.count() == 1


def test_only_an_administrator_changes_closure_days(commissioner, administrator):
    with pytest.raises(PermissionDenied):
        services.closure_day_add(actor=commissioner, day=MONDAY, reason="Mine")
    closure = services.closure_day_add(actor=administrator, day=MONDAY, reason="Closed")
    with pytest.raises(PermissionDenied):
        services.closure_day_remove(actor=commissioner, closure=closure)
    assert ClosureDay.objects.filter(day=MONDAY).exists()
    assert not AuditEvent.objects.filter(actor=commissioner).exists()


def test_the_page_lists_the_days_and_adds_one(client, administrator):
    client.force_login(administrator)
    response = client.post("/administration/closure-days/", {"action": "add", "day": "01/03/2027", "reason": "Closed"})
    assert response.status_code == 302 and response.url == "/administration/closure-days/"
    page = client.get("/administration/closure-days/").content.decode()
    assert "1 March 2027" in page and "Closed" in page
    assert ClosureDay.objects.get().day == MONDAY


def test_only_an_administrator_reads_closure_days(commissioner, administrator):
    from django.http import Http404

    from commissioning.accounts import selectors

    closure = services.closure_day_add(actor=administrator, day=MONDAY, reason="Closed")
    assert list(selectors.closure_days_from(user=administrator, day=date(2027, 1, 1))) == [closure]
    assert list(selectors.closure_days_from(user=administrator, day=date(2027, 3, 2))) == []
    assert selectors.closure_day_get(user=administrator, closure_id=closure.pk) == closure
    with pytest.raises(Http404):
        selectors.closure_day_get(user=administrator, closure_id=closure.pk + 1)
    with pytest.raises(Http404):
        selectors.closure_day_get(user=commissioner, closure_id=closure.pk)
    with pytest.raises(Http404):
        selectors.closure_days_from(user=commissioner, day=date(2027, 1, 1))
