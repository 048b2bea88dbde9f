import pytest
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.models import OrganisationStatus
from commissioning.accounts.tests.factories import IdentifierFactory, ProviderFactory
from commissioning.accounts.workflow import ORGANISATION_WORKFLOW
from commissioning.audit.models import AuditEvent
from commissioning.audit.transitions import TransitionError, Workflow, t, transition


class Light(models.TextChoices):
    RED = "red", "Red"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"


def test_a_table_naming_an_unknown_status_is_refused_when_declared():
    with pytest.raises(ValueError, match="unknown statuses"):
        Workflow(name="bad", statuses=Light, transitions=(t("go", "red", "blue"),))


def test_duplicate_move_names_are_refused():
    with pytest.raises(ValueError, match="unique"):
        Workflow(name="bad", statuses=Light, transitions=(t("go", "red", "green"), t("go", "amber", "green")))


@given(
    status=st.sampled_from(OrganisationStatus.values),
    move=st.sampled_from([m.name for m in ORGANISATION_WORKFLOW.transitions]),
)
def test_the_table_alone_decides_which_moves_start_from_which_status(status, move):
    class Obj:
        pass

    obj = Obj()
    obj.status = status
    obj.status_reason = "a reason"
    obj.legal_form = "community_group"
    admin = type("Admin", (), {"is_administrator": True})()
    problems = ORGANISATION_WORKFLOW.check(obj, move, admin)
    allowed_from = ORGANISATION_WORKFLOW.get(move).sources
    assert (status in allowed_from) == (problems == [])


@pytest.mark.django_db
def test_a_move_changes_the_status_and_writes_its_audit_event(administrator):
    org = ProviderFactory()
    IdentifierFactory(organisation=org)
    result = transition(workflow=ORGANISATION_WORKFLOW, obj=org, name="verify", actor=administrator)
    assert result.status == OrganisationStatus.VERIFIED
    org.refresh_from_db()
    assert org.status == OrganisationStatus.VERIFIED
    event = AuditEvent.objects.get(verb="organisation.verify")
    assert event.actor == administrator
    assert event.before == {"status": "pending"}
    assert event.after == {"status": "verified"}


@pytest.mark.django_db
def test_a_move_from_the_wrong_status_changes_nothing(administrator):
    org = ProviderFactory(status=OrganisationStatus.REJECTED, status_reason="Not a real charity")
    with pytest.raises(TransitionError, match="while the status is not verified"):
        transition(
            workflow=ORGANISATION_WORKFLOW, obj=org, name="suspend", actor=administrator, changes={"status_reason": "x"}
        )
    org.refresh_from_db()
    assert org.status == OrganisationStatus.REJECTED
    assert org.status_reason == "Not a real charity"
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_a_failed_guard_changes_nothing_and_says_why(administrator):
    org = ProviderFactory()  # a registered charity with no identifier
    with pytest.raises(TransitionError, match="at least one identifier"):
        transition(workflow=ORGANISATION_WORKFLOW, obj=org, name="verify", actor=administrator)
    org.refresh_from_db()
    assert org.status == OrganisationStatus.PENDING
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_guards_see_the_moves_other_changes(administrator):
    org = ProviderFactory()
    with pytest.raises(TransitionError, match="Give a reason"):
        transition(
            workflow=ORGANISATION_WORKFLOW,
            obj=org,
            name="reject",
            actor=administrator,
            changes={"status_reason": "   "},
        )
    transition(
        workflow=ORGANISATION_WORKFLOW,
        obj=org,
        name="reject",
        actor=administrator,
        changes={"status_reason": "We could not find this charity on the register"},
    )
    org.refresh_from_db()
    assert org.status == OrganisationStatus.REJECTED


@pytest.mark.django_db
def test_a_move_cannot_smuggle_a_status_change(administrator):
    org = ProviderFactory()
    with pytest.raises(ValueError):
        transition(
            workflow=ORGANISATION_WORKFLOW,
            obj=org,
            name="reject",
            actor=administrator,
            changes={"status": "verified", "status_reason": "x"},
        )


@pytest.mark.django_db
def test_an_unknown_move_is_refused():
    org = ProviderFactory()
    with pytest.raises(TransitionError, match="no move called"):
        transition(workflow=ORGANISATION_WORKFLOW, obj=org, name="teleport", actor=None)


class Stage(models.TextChoices):
    DRAFT = "draft", "Draft"
    REVIEW = "review", "Review"
    APPROVED = "approved", "Approved"
    DONE = "done", "Done"
    SPARE = "spare", "Spare"


STAGES = Workflow(
    name="stages",
    statuses=Stage,
    transitions=(
        t("send", Stage.DRAFT, Stage.REVIEW),
        t("approve", Stage.REVIEW, Stage.APPROVED),
        t("send_back", [Stage.REVIEW, Stage.APPROVED], Stage.DRAFT),
        t("finish", Stage.APPROVED, Stage.DONE),
    ),
)


def test_steps_count_the_moves_from_the_start_and_a_move_back_does_not_shorten_them():
    assert STAGES.steps() == {"draft": 0, "review": 1, "approved": 2, "done": 3}


def test_reached_says_whether_a_status_is_reached_or_passed():
    assert STAGES.reached(Stage.APPROVED, Stage.REVIEW)
    assert STAGES.reached(Stage.REVIEW, Stage.REVIEW)
    assert not STAGES.reached(Stage.REVIEW, Stage.APPROVED)
    assert not STAGES.reached(Stage.DRAFT, Stage.DONE)


def test_reached_refuses_a_status_the_table_never_reaches():
    with pytest.raises(ValueError, match="not on the way"):
        STAGES.reached(Stage.SPARE, Stage.DRAFT)
