"""Reminders before evidence runs out and when it has: once each, by the clock command."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from commissioning.accounts.models import OrganisationStatus, Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core import clock
from commissioning.core.chronograph import clock_jobs, run_due
from commissioning.evidence import services
from commissioning.evidence.models import EvidenceReminder
from commissioning.evidence.tasks import send_evidence_reminders

from .factories import keeper, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Send the due reminders, and the e-mails their transactions queue."""

    def run(call=services.evidence_reminders_send, *args):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args)

    return run


@pytest.fixture
def store(settings):
    settings.EVIDENCE_REMINDER_DAYS = 30
    admin, organisation = keeper()
    member = person_with_role(Role.PROVIDER_MEMBER, organisation)
    second_admin = person_with_role(Role.PROVIDER_ADMIN, organisation)
    return admin, second_admin, member, organisation


def test_administrators_are_told_once_when_an_item_comes_within_the_window(store, send):
    admin, second_admin, member, organisation = store
    today = clock.today()
    record(admin, organisation, valid_until=today + timedelta(days=40))
    record(admin, organisation, "address")
    assert send() == 0 and mail.outbox == []

    with time_machine.travel(clock.now() + timedelta(days=10), tick=False):
        assert send() == 1
        assert send() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted([admin.email, second_admin.email])
    message = mail.outbox[0]
    assert "public liability insurance runs out on" in message.subject
    assert f"?organisation={organisation.slug}" in message.body
    assert member.email not in {m.to[0] for m in mail.outbox}
    assert EvidenceReminder.objects.get().kind == "expires_soon"


def test_they_are_told_again_the_day_after_it_runs_out_and_then_never(store, send):
    admin, _, _, organisation = store
    expiry = clock.today() + timedelta(days=5)
    record(admin, organisation, valid_until=expiry)
    assert send() == 1
    with time_machine.travel(clock.now() + timedelta(days=5), tick=False):
        assert send() == 0  # still good on its last day
    with time_machine.travel(clock.now() + timedelta(days=6), tick=False):
        assert send() == 1
        assert send() == 0
    with time_machine.travel(clock.now() + timedelta(days=60), tick=False):
        assert send() == 0
    assert [r.kind for r in EvidenceReminder.objects.order_by("sent_at")] == ["expires_soon", "expired"]
    assert "has run out" in mail.outbox[-1].subject


def test_an_item_found_already_expired_gets_only_the_expired_reminder(store, send):
    admin, second_admin, _, organisation = store
    record(admin, organisation, valid_until=clock.today() - timedelta(days=3))
    assert send() == 1
    assert list(EvidenceReminder.objects.values_list("kind", flat=True)) == ["expired"]


def test_superseded_and_removed_versions_are_never_reminded_about(store, send):
    admin, _, _, organisation = store
    record(admin, organisation, valid_until=clock.today() + timedelta(days=3))
    record(admin, organisation, valid_until=clock.today() + timedelta(days=400), upload=None)
    record(admin, organisation, "equality", valid_until=clock.today() + timedelta(days=3))
    services.evidence_item_remove(actor=admin, organisation=organisation, item="equality")
    assert send() == 0
    assert not EvidenceReminder.objects.exists() and mail.outbox == []


def test_a_new_version_that_runs_out_soon_is_reminded_about_in_its_own_right(store, send):
    admin, _, _, organisation = store
    record(admin, organisation, valid_until=clock.today() + timedelta(days=3))
    assert send() == 1
    record(admin, organisation, valid_until=clock.today() + timedelta(days=20), upload=None)
    assert send() == 1
    assert EvidenceReminder.objects.values("version").distinct().count() == 2


def test_a_suspended_organisation_is_not_reminded(store, send):
    admin, _, _, organisation = store
    record(admin, organisation, valid_until=clock.today() + timedelta(days=3))
    organisation.status = OrganisationStatus.SUSPENDED
    organisation.save(update_fields=["status"])
    assert send() == 0


def test_the_task_sends_the_reminders_and_is_idempotent(store, send):
    admin, _, _, organisation = store
    record(admin, organisation, valid_until=clock.today() + timedelta(days=3))
    assert send(send_evidence_reminders.enqueue).return_value == 1
    assert send(send_evidence_reminders.enqueue).return_value == 0
    assert len(mail.outbox) == 2


def test_the_clock_command_runs_the_reminders_and_is_safe_to_repeat(store, send, capsys):
    admin, _, _, organisation = store
    record(admin, organisation, valid_until=clock.today() + timedelta(days=3))
    assert "evidence.reminders" in {job.name for job in clock_jobs()}
    send(call_command, "clock")
    assert "evidence.reminders: 1" in capsys.readouterr().out
    send(call_command, "clock")
    assert capsys.readouterr().out == ""
    assert len(mail.outbox) == 2 and EvidenceReminder.objects.count() == 1
    call_command("clock", "--list")
    assert "evidence.reminders:" in capsys.readouterr().out


def test_a_failing_job_does_not_stop_the_others(monkeypatch):
    from commissioning.core import chronograph

    clock_jobs()

    def broken(now):
        raise RuntimeError("broken")

    monkeypatch.setitem(chronograph._JOBS, "zz.broken", chronograph.ClockJob("zz.broken", broken, "Broken"))
    ran = run_due()
    # Every stage's job ran (nothing was due) although the broken one failed.
    assert ran.pop("zz.broken") == -1
    assert ran == {job.name: 0 for job in clock_jobs() if job.name != "zz.broken"}
    assert {"feedback.feedback_overdue", "feedback.surveys", "evidence.reminders"} <= set(ran)


def test_the_clock_command_refuses_an_unknown_job():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown job: nope"):
        call_command("clock", "--job", "nope")


def test_one_reminder_is_sent_once_and_audited_as_the_clock(store, django_capture_on_commit_callbacks):
    from commissioning.audit.models import AuditEvent

    admin, second_admin, _, organisation = store
    version = record(admin, organisation, valid_until=clock.today() + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.evidence_reminder_send(version=version, kind="expires_soon", recipients=[admin.email])
        assert not services.evidence_reminder_send(version=version, kind="expires_soon", recipients=[admin.email])
    assert [m.to for m in mail.outbox] == [[admin.email]]
    event = AuditEvent.objects.get(verb="evidence.reminder")
    assert event.actor is None
    assert EvidenceReminder.objects.get().recipients == [admin.email]
