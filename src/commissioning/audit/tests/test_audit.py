import pytest
from django.db import DatabaseError, connection, transaction

from commissioning.accounts.models import OrganisationStatus
from commissioning.accounts.tests.factories import ProviderFactory
from commissioning.audit import selectors
from commissioning.audit.models import AuditEvent
from commissioning.audit.selectors import AuditFilter, audit_events_list, audit_verbs
from commissioning.audit.services import audit_record


@pytest.fixture
def event(db, administrator):
    org = ProviderFactory()
    return audit_record(actor=administrator, verb="organisation.test", obj=org, after={"status": "pending"})


def test_an_event_records_who_what_and_which_object(event, administrator):
    assert event.actor == administrator
    assert event.actor_label == administrator.email
    assert event.object_type == "accounts.organisation"
    assert event.occurred_at is not None


def test_events_cannot_be_changed_or_deleted_through_the_model(event):
    event.reason = "edited"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="edited")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_refuses_to_change_an_event_behind_the_models_back(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'edited' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps the delete guard in the model")
def test_postgresql_refuses_to_delete_an_event(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_only_administrators_can_read_the_log(event, provider_admin, administrator):
    assert list(audit_events_list(user=provider_admin, filters=AuditFilter())) == []
    assert list(audit_events_list(user=administrator, filters=AuditFilter())) == [event]


def test_the_log_filters_by_verb_and_actor(event, administrator):
    assert list(audit_events_list(user=administrator, filters=AuditFilter(verb="organisation."))) == [event]
    assert list(audit_events_list(user=administrator, filters=AuditFilter(verb="user."))) == []
    assert list(audit_events_list(user=administrator, filters=AuditFilter(actor="nobody@"))) == []


def test_audit_page_is_for_administrators_only(client, event, administrator, provider_admin):
    assert client.get("/administration/audit/").status_code == 302
    client.force_login(provider_admin)
    assert client.get("/administration/audit/").status_code == 404
    client.force_login(administrator)
    page = client.get("/administration/audit/?verb=organisation.test")
    assert page.status_code == 200
    assert "organisation.test" in page.content.decode()


def test_a_bad_date_filter_shows_an_error_not_a_crash(client, administrator):
    client.force_login(administrator)
    page = client.get("/administration/audit/?since=31/02/2026")
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()


def test_request_id_is_recorded_and_echoed(client, administrator):
    org = ProviderFactory(status=OrganisationStatus.SUSPENDED, status_reason="x")
    client.force_login(administrator)
    response = client.post(
        f"/administration/organisations/{org.slug}/", {"action": "reinstate"}, HTTP_X_REQUEST_ID="req-1234567890"
    )
    assert response["X-Request-ID"] == "req-1234567890"
    assert AuditEvent.objects.get(verb="organisation.reinstate").request_id == "req-1234567890"


def test_events_withheld_for_now_are_left_out_of_every_read_and_kept(event, administrator, monkeypatch):
    other = audit_record(actor=administrator, verb="organisation.other", obj=ProviderFactory())
    withheld = {str(event.object_id)}
    monkeypatch.setitem(
        selectors._withheld,
        "accounts.organisation",
        lambda: AuditEvent.objects.filter(object_id__in=withheld).values("object_id"),
    )
    assert list(audit_events_list(user=administrator, filters=AuditFilter())) == [other]
    assert "organisation.test" not in audit_verbs()
    withheld.clear()
    assert set(audit_events_list(user=administrator, filters=AuditFilter())) == {event, other}
