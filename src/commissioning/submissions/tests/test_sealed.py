"""Sealed means sealed: every role against every page, endpoint, download and the admin site, over time.

One consortium bid with a file is submitted. Then, a second before the
deadline, a second after it (not yet opened) and after the commissioner has
opened the submissions, each role asks for everything: the bid pages, the
commissioner's pages, the API, the file downloads, the audit log and the
Django admin. Content markers (an answer, a price, a commitment, a file's
title and bytes) may appear only where the role may read the bid: its own
organisation's pages, and the opportunity's commissioner once opened. Before
the deadline not even the bid's existence (its id, its digest) shows outside
the bidding organisations.
"""

import difflib
import json
import re
from dataclasses import dataclass
from datetime import UTC, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from commissioning.accounts import services as account_services
from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, UserFactory, person_with_role
from commissioning.audit.models import AuditEvent
from commissioning.evidence.demo import pdf_upload
from commissioning.opportunities.tests.factories import commissioner_at
from commissioning.submissions import services
from commissioning.submissions.models import Opening

from .factories import bidder, complete, submit, tender

pytestmark = pytest.mark.django_db

ANSWER = "Our sealed answer about the Harehills pantry"
COMMITMENT = "Sealed commitment to open a Harehills pantry"
FILE_TITLE = "Sealed delivery plan for Harehills"
FILE_TEXT = "Sealed file bytes about Harehills"
PRICE = Decimal("31234.56")
CONTENT = [ANSWER, COMMITMENT, FILE_TITLE, FILE_TEXT, "31234.56", "31,234.56"]

ROLES = [
    "anonymous",
    "bidder",
    "other_provider",
    "consortium_member",
    "commissioner",
    "other_commissioner",
    "evaluator",
    "partnership_reviewer",
    "administrator",
    "superuser",
]
SEALED, READY, OPENED = "a second before the deadline", "a second after the deadline", "after opening"


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    council = CommissionerOrgFactory()
    commissioner = person_with_role(Role.COMMISSIONER, council)
    opportunity = tender(commissioner)
    lead, provider = bidder()
    member_person, partner = bidder()
    submission = complete(opportunity, lead, provider, price=PRICE)
    services.answer_save(actor=lead, submission=submission, question=opportunity.questions.first(), text=ANSWER)
    services.commitment_add(actor=lead, submission=submission, description=COMMITMENT, measure="Opened", target="1")
    attachment = services.attachment_add(
        actor=lead, submission=submission, title=FILE_TITLE, upload=pdf_upload("plan.pdf", FILE_TEXT)
    )
    member = services.member_invite(actor=lead, submission=submission, organisation=partner, role="Runs the pantry")
    services.member_answer(actor=member_person, member=member, accept=True)
    services.evidence_confirm(
        actor=member_person, submission=submission, organisation=partner, items=opportunity.standard_items
    )
    record = submit(lead, submission)
    people = {
        "anonymous": None,
        "bidder": lead,
        "other_provider": bidder()[0],
        "consortium_member": member_person,
        "commissioner": commissioner,
        "other_commissioner": commissioner_at(),
        "evaluator": person_with_role(Role.EVALUATOR, council),
        "partnership_reviewer": person_with_role(Role.PARTNERSHIP_REVIEWER, council),
        "administrator": person_with_role(Role.ADMINISTRATOR, council),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    tokens = {role: account_services.api_token_create(actor=u, name="t")[1] for role, u in people.items() if u}
    return {
        "opportunity": opportunity,
        "submission": submission,
        "record": record,
        "attachment": attachment,
        "member": member,
        "evidence": submission.confirmations.get(organisation=provider, item="insurance_public").version_id,
        "partner_evidence": submission.confirmations.get(organisation=partner, item="insurance_public").version_id,
        "people": people,
        "tokens": tokens,
        "submit_event": AuditEvent.objects.get(verb="submission.submit").pk,
    }


@dataclass(frozen=True)
class Surface:
    name: str
    path: str
    # Who may read the bid's content here, by phase; None: nobody (existence is not even hinted at).
    readers: dict[str, set[str]] | None = None
    # The status each role must get, when the surface is about this bid; None: only the markers are checked.
    statuses: dict[str, dict[str, int]] | None = None

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")


def _everyone(status: int, phases=(SEALED, READY, OPENED), **overrides) -> dict[str, dict[str, int]]:
    """Statuses per phase: ``status`` for every signed-in role; anonymous is sent to sign in (or 401 by API)."""
    per_phase = {}
    for phase in phases:
        roles = dict.fromkeys(ROLES, status)
        for role, value in overrides.items():
            roles[role] = value(phase) if callable(value) else value
        per_phase[phase] = roles
    return per_phase


def _once_opened(status_before: int, status_after: int = 200):
    return lambda phase: status_after if phase == OPENED else status_before


def surfaces(w) -> list[Surface]:
    ref = w["opportunity"].reference
    pid = w["submission"].public_id
    bid = "/bids/" + str(pid)
    bidder_only = {phase: {"bidder"} for phase in (SEALED, READY, OPENED)}
    bidder_and_opened = {SEALED: {"bidder"}, READY: {"bidder"}, OPENED: {"bidder", "commissioner"}}
    commissioner_once_opened = {SEALED: set(), READY: set(), OPENED: {"commissioner"}}

    def bid_page(name, path, readers=bidder_only):
        return Surface(name, path, readers, _everyone(404, anonymous=302, bidder=200))

    commissioning = f"/commissioning/opportunities/{ref}/submissions/"
    return [
        # Public and general pages: nothing of the bid, for anyone.
        Surface("finder", "/opportunities/?state=all"),
        Surface("opportunity page", f"/opportunities/{ref}/"),
        Surface("commissioner's dashboard", "/commissioning/"),
        Surface("opportunity overview", f"/commissioning/opportunities/{ref}/"),
        Surface("audit log", "/administration/audit/"),
        Surface("audit log, submissions", "/administration/audit/?object_type=submissions.submission"),
        # The commissioner's pages.
        Surface(
            "submissions page",
            commissioning,
            commissioner_once_opened,
            _everyone(404, anonymous=302, commissioner=200),
        ),
        Surface(
            "opened submission",
            f"{commissioning}{pid}/",
            commissioner_once_opened,
            _everyone(404, anonymous=302, commissioner=_once_opened(404)),
        ),
        Surface(
            "opened evidence file",
            f"{commissioning}{pid}/evidence/{w['evidence']}/",
            commissioner_once_opened,
            _everyone(404, anonymous=302, commissioner=_once_opened(404)),
        ),
        Surface(
            "opened partner's evidence file",
            f"{commissioning}{pid}/evidence/{w['partner_evidence']}/",
            commissioner_once_opened,
            _everyone(404, anonymous=302, commissioner=_once_opened(404)),
        ),
        # The bid's own pages.
        Surface(
            "bids list",
            "/bids/",
            bidder_only,
            _everyone(404, anonymous=302, bidder=200, other_provider=200, consortium_member=200),
        ),
        bid_page("task list", f"{bid}/"),
        bid_page("lots", f"{bid}/lots/"),
        bid_page("evidence", f"{bid}/evidence/"),
        bid_page("question", f"{bid}/questions/1/"),
        bid_page("commitments", f"{bid}/commitments/"),
        bid_page("files", f"{bid}/files/"),
        Surface(
            "file download",
            f"{bid}/files/{w['attachment'].pk}/",
            bidder_and_opened,
            _everyone(404, anonymous=302, bidder=200, commissioner=_once_opened(404)),
        ),
        bid_page("consortium", f"{bid}/consortium/"),
        Surface(
            "invitation",
            f"{bid}/invitation/{w['member'].pk}/",
            None,
            _everyone(404, anonymous=302, consortium_member=200),
        ),
        bid_page("check answers", f"{bid}/check/"),
        bid_page("withdraw", f"{bid}/withdraw/"),
        bid_page("receipt", f"{bid}/receipts/1/"),
        Surface(
            "evidence store file",
            f"/evidence/files/{w['evidence']}/",
            None,
            _everyone(404, anonymous=302, bidder=200),
        ),
        # The API.
        Surface("API: your submissions", "/api/v1/submissions", bidder_only),
        Surface(
            "API: one submission",
            f"/api/v1/submissions/{pid}",
            bidder_only,
            _everyone(404, anonymous=401, bidder=200),
        ),
        Surface(
            "API: opened submissions",
            f"/api/v1/opportunities/{ref}/submissions",
            commissioner_once_opened,
            _everyone(404, anonymous=401, commissioner=_once_opened(403)),
        ),
        Surface("API: the opportunity", f"/api/v1/opportunities/{ref}"),
        Surface("API: evidence", f"/api/v1/evidence/{w['evidence']}"),
        # The technical admin site: submissions are not registered, so even a superuser gets 404.
        Surface("admin index", "/django-admin/"),
        Surface("admin audit events", "/django-admin/audit/auditevent/"),
        Surface("admin audit event of the submit", f"/django-admin/audit/auditevent/{w['submit_event']}/change/"),
        *(
            Surface(
                f"admin {model}",
                f"/django-admin/submissions/{model}/",
                None,
                _everyone(302, superuser=404),
            )
            for model in (
                "",
                "submission",
                "submissionrecord",
                "answer",
                "lotbid",
                "attachment",
                "commitment",
                "consortiummember",
                "evidenceconfirmation",
                "opening",
            )
        ),
        Surface(
            "admin submission change page",
            f"/django-admin/submissions/submission/{w['submission'].pk}/change/",
            None,
            _everyone(302, superuser=404),
        ),
    ]


def _request(client: Client, w, role: str, surface: Surface):
    client.logout()
    user = w["people"][role]
    headers = {}
    if surface.api:
        if user is not None:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {w['tokens'][role]}"
    elif user is not None:
        client.force_login(user)
    response = client.get(surface.path, **headers)
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    return response.status_code, body.decode("latin-1")


# Who may know which bids there are once they are opened: the commissioner (who opened them) and the
# audit log's readers (who see their events from then on). Between the deadline and the opening the
# commissioner is told how many, and nobody learns more.
KNOW_OF_IT_ONCE_OPENED = {"commissioner", "administrator", "superuser"}


def _markers(w, phase: str, role: str) -> list[str]:
    """What must not show: the content always; and that the bid exists at all (its id, its digest), until
    the opening to anyone, after it to anyone but the commissioner and the audit log's readers. The
    consortium member is part of the bid and is shown its invitation."""
    markers = list(CONTENT)
    if role != "consortium_member" and (phase != OPENED or role not in KNOW_OF_IT_ONCE_OPENED):
        markers += [str(w["submission"].public_id), w["record"].sha256]
    return markers


def _check_every_role(client, w, phase: str) -> list[str]:
    wrong = []
    for surface in surfaces(w):
        for role in ROLES:
            status, body = _request(client, w, role, surface)
            if status >= 500:
                wrong.append(f"{phase}, {role}, {surface.name}: {status}")
            expected = surface.statuses and surface.statuses[phase][role]
            if expected and status != expected:
                wrong.append(f"{phase}, {role}, {surface.name}: got {status}, expected {expected}")
            readers = surface.readers[phase] if surface.readers else set()
            if role in readers:
                continue
            shown = [marker for marker in _markers(w, phase, role) if marker in body]
            if shown:
                wrong.append(f"{phase}, {role}, {surface.name} shows {shown}")
    return wrong


def _content_is_readable(client, w, role, surface_name) -> str:
    surface = next(s for s in surfaces(w) if s.name == surface_name)
    return _request(client, w, role, surface)[1]


def test_a_second_before_the_deadline_only_the_bidder_reads_the_bid(client, world):
    deadline = world["opportunity"].submission_deadline
    with time_machine.travel(deadline - timedelta(seconds=1), tick=False):
        wrong = _check_every_role(client, world, SEALED)
        assert not wrong, "\n".join(wrong)
        # And the bidder does read it: the markers are really there to find.
        assert ANSWER in _content_is_readable(client, world, "bidder", "check answers")
        assert FILE_TEXT in _content_is_readable(client, world, "bidder", "file download")
        sealed = _content_is_readable(client, world, "commissioner", "submissions page")
        assert "Submissions are sealed until" in sealed and "Open the submissions" not in sealed
        assert "submission.start" not in _content_is_readable(client, world, "administrator", "audit log")


def test_a_second_after_the_deadline_the_commissioner_learns_how_many_and_nothing_more(client, world):
    deadline = world["opportunity"].submission_deadline
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        wrong = _check_every_role(client, world, READY)
        assert not wrong, "\n".join(wrong)
        ready = _content_is_readable(client, world, "commissioner", "submissions page")
        assert "1 submission counts" in ready and "Open the submissions" in ready
        assert str(world["submission"].public_id) not in ready and world["record"].sha256 not in ready
        # The audit log still withholds the bid's events: who bid, for what, with which files.
        for surface in ("audit log", "audit log, submissions"):
            log = _content_is_readable(client, world, "administrator", surface)
            assert "submission.submit" not in log and "submission.start" not in log
    assert not Opening.objects.exists()  # reading never opens them


def test_once_opened_the_commissioner_reads_everything_and_nobody_else_does(client, world):
    deadline = world["opportunity"].submission_deadline
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        services.submissions_open(actor=world["people"]["commissioner"], opportunity=world["opportunity"])
    with time_machine.travel(deadline + timedelta(seconds=2), tick=False):
        wrong = _check_every_role(client, world, OPENED)
        assert not wrong, "\n".join(wrong)
        opened = _content_is_readable(client, world, "commissioner", "opened submission")
        for marker in (ANSWER, COMMITMENT, FILE_TITLE, "31,234.56", world["record"].sha256):
            assert marker in opened
        assert FILE_TEXT in _content_is_readable(client, world, "commissioner", "file download")
        api = json.loads(_content_is_readable(client, world, "commissioner", "API: opened submissions"))
        assert api["submissions"][0]["sha256"] == world["record"].sha256
        assert ANSWER in api["submissions"][0]["canonical"]
        # The audit log withheld the bid's events until the opening, and lost none of them.
        log = _content_is_readable(client, world, "administrator", "audit log, submissions")
        assert "submission.submit" in log and world["record"].sha256 in log


def _normalised(text: str, *references: str) -> str:
    """A page with what differs between two requests taken out: the CSRF token, the CSP nonce, the references."""
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', text)
    text = re.sub(r'nonce="[^"]+"', 'nonce=""', text)
    # Each opportunity's meet-the-buyer event is its own row, with its own id in a link.
    text = re.sub(r"/events/[0-9]+/", "/events/ID/", text)
    for reference in references:
        text = text.replace(reference, "REFERENCE")
    return text


def test_the_sealed_answer_is_the_same_whether_or_not_anything_was_submitted(client):
    commissioner = commissioner_at()
    with time_machine.travel("2026-11-02 09:00:00+00:00", tick=False):
        with_bids, without = tender(commissioner), tender(commissioner)
        for _ in range(3):
            person, organisation = bidder()
            submit(person, complete(with_bids, person, organisation))
    assert with_bids.submission_deadline == without.submission_deadline
    _, secret = account_services.api_token_create(actor=commissioner, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    def answers(opportunity) -> list[tuple[int, str]]:
        ref = opportunity.reference
        client.force_login(commissioner)
        seen = []
        for path in (f"/commissioning/opportunities/{ref}/submissions/", f"/commissioning/opportunities/{ref}/"):
            response = client.get(path)
            seen.append((response.status_code, response.content.decode()))
        posted = client.post(f"/commissioning/opportunities/{ref}/submissions/", follow=True)
        seen.append((posted.status_code, posted.content.decode()))
        seen.append(
            (
                client.get(
                    f"/commissioning/opportunities/{ref}/submissions/{with_bids.submissions.first().public_id}/"
                ).status_code,
                "",
            )
        )
        for method, path in (
            ("get", f"/api/v1/opportunities/{ref}/submissions"),
            ("post", f"/api/v1/opportunities/{ref}/submissions/open"),
        ):
            response = getattr(client, method)(path, **auth)
            seen.append((response.status_code, response.content.decode()))
        # Each opportunity has its own commissioning record, linked from its page: its reference differs too.
        return [(status, _normalised(body, ref, opportunity.record.reference)) for status, body in seen]

    with time_machine.travel(with_bids.submission_deadline - timedelta(seconds=1), tick=False):
        for seen, expected in zip(answers(with_bids), answers(without), strict=True):
            assert seen == expected, "\n".join(difflib.unified_diff(expected[1].splitlines(), seen[1].splitlines()))
        api = client.get(f"/api/v1/opportunities/{without.reference}/submissions", **auth).json()
    deadline = with_bids.submission_deadline.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert api == {"detail": f"sealed until {deadline}"}
    assert not Opening.objects.exists()


def test_the_opening_is_recorded_with_who_when_and_how_many(client, world):
    commissioner = world["people"]["commissioner"]
    opportunity = world["opportunity"]
    moment = opportunity.submission_deadline + timedelta(seconds=1)
    with time_machine.travel(moment, tick=False):
        client.force_login(commissioner)
        client.post(f"/commissioning/opportunities/{opportunity.reference}/submissions/")
        client.post(f"/commissioning/opportunities/{opportunity.reference}/submissions/")  # a second click
    [event] = AuditEvent.objects.filter(verb="submissions.open")
    assert event.actor == commissioner and event.actor_label == commissioner.email
    assert event.occurred_at == moment
    assert event.object_type == "opportunities.opportunity" and event.object_id == str(opportunity.pk)
    assert event.after == {"submissions": 1, "opened_at": moment.isoformat()}
    opening = Opening.objects.get()
    assert (opening.opened_by, opening.opened_at, opening.submissions) == (commissioner, moment, 1)
