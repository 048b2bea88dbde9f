"""Benchmark: the deadline surge. Many providers save and submit in the final minutes, through the real server.

Run (not part of the test suite):

    COMMISSIONING_TESTING=1 .venv/bin/python -m tests.bench.surge
    DATABASE_URL=postgres://... COMMISSIONING_TESTING=1 .venv/bin/python -m tests.bench.surge

It builds a throwaway database of its own (a SQLite file under var/bench, or a
PostgreSQL database named for the run), migrates it, and makes one open tender
(and a second like it for the direct measure) and BENCH_PROVIDERS verified
providers (200 unless set), each with a person and a complete draft for each
tender, made through the services. It then serves the product with
gunicorn on loopback, as bin/serve does (2 workers of 4 threads unless
WEB_CONCURRENCY says otherwise), moves the tender's deadline to
BENCH_DEADLINE_SECONDS ahead (90 unless set) and lets the providers loose, one
thread each, through the pages as a browser would:

- over the first part of the window, arriving faster as the deadline nears,
  each signs in and saves two answers (the first with "Save and go to the
  next question");
- BENCH_BURST_SECONDS before the deadline (45 unless set) they all come back
  within three seconds of each other, save a last answer, open the
  check-answers page and submit: a stampede, so the rate measured is what the
  server can take. A fifth press submit twice at the same moment (a double
  click), a tenth submit again once they have the receipt (a retry);
- a twentieth come only after the deadline, and must be refused.

Latencies are of what the person waits for: a POST and the page it redirects
to. Afterwards it checks and prints: submissions lost (a receipt whose record
is missing or has another digest, or a saved answer missing from the record
submitted after it), duplicated (two records for one draft revision, or two
receipts for one press), and accepted after the deadline (a record or a saved
answer at or after it). Then, with the server stopped, it submits the same
drafts for a second tender straight through ``services.submission_submit`` and
prints the ratio of web to direct throughput. Results go to
var/bench/surge-<vendor>.json with the machine noted. The exit status is 1 when
a check fails.
"""

import json
import math
import os
import random
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.config.settings")
os.environ.setdefault("COMMISSIONING_TESTING", "1")
# Receipts are queued in the database for the worker, as in production (no worker runs: nothing is sent);
# evidence files go to a folder of this run's own.
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
MEDIA_DIR = Path(tempfile.mkdtemp(prefix="surge-media-"))
os.environ["MEDIA_ROOT"] = str(MEDIA_DIR)

import django  # noqa: E402

django.setup()

import requests  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402
from django.urls import reverse  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402
from urllib3.util.retry import Retry  # noqa: E402

from tests.bench import report as where  # noqa: E402

PROVIDERS = int(os.environ.get("BENCH_PROVIDERS", "200"))
DEADLINE_SECONDS = float(os.environ.get("BENCH_DEADLINE_SECONDS", "90"))
BURST_SECONDS = float(os.environ.get("BENCH_BURST_SECONDS", "45"))
WORKERS = int(os.environ.get("WEB_CONCURRENCY", "2"))
THREADS = 4  # as bin/serve
LATE_EVERY, DOUBLE_CLICK_EVERY, RETRY_EVERY = 20, 5, 10
HTTP_SECONDS = 120
OUT_DIR = ROOT / "var" / "bench"
DIGEST = re.compile(r'class="app-digest">([0-9a-f]{64})<')
RECEIPT = re.compile(r"/bids/[0-9a-f-]{36}/receipts/(\d+)/$")
REFUSED_LATE = "The deadline was"


def _isolate_database() -> None:
    # A name of our own, so a test run going on at the same time keeps its database.
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        path = OUT_DIR / "surge-bench.sqlite3"
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        test["NAME"] = str(path)
    else:
        test["NAME"] = f"bench_surge_{os.getpid()}"


def _database_url() -> str:
    """Where the server finds the database this run made."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{name}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Provider:
    index: int
    email: str
    person_pk: int
    surge_pk: int  # the draft for the tender of the surge
    direct_pk: int  # the same draft for the second tender, submitted straight through the service
    public_id: str
    late: bool
    double_click: bool
    retry: bool
    arrives: float = 0.0  # seconds after the start of the surge
    saved: list[str] = field(default_factory=list)  # the texts the server said it saved
    receipts: list[tuple[int, str]] = field(default_factory=list)
    pressed_at: float | None = None  # wall clock, when submit was first pressed
    received_at: float | None = None  # wall clock, when the first receipt came back
    refused_late: bool = False  # submit refused: it reached the server at or after the deadline
    save_refused: bool = False  # a save refused for the deadline
    showing: set[int] = field(default_factory=set)  # the question page the browser is on


def seed(n: int) -> tuple[object, object, list[Provider]]:
    """One open tender for the surge and one for the direct measure, and ``n`` providers with complete drafts."""
    from commissioning.opportunities.tests.factories import commissioner_at
    from commissioning.submissions.tests.factories import bidder, complete, tender

    started = time.perf_counter()
    commissioner = commissioner_at()
    surge, direct = tender(commissioner), tender(commissioner)
    providers = []
    for i in range(n):
        person, organisation = bidder()
        ours = complete(surge, person, organisation)
        same = complete(direct, person, organisation)
        providers.append(
            Provider(
                index=i,
                email=person.email,
                person_pk=person.pk,
                surge_pk=ours.pk,
                direct_pk=same.pk,
                public_id=str(ours.public_id),
                late=i % LATE_EVERY == LATE_EVERY - 1,
                double_click=i % DOUBLE_CLICK_EVERY == 0,
                retry=i % RETRY_EVERY == 1,
            )
        )
        if (i + 1) % 25 == 0:
            print(f"  {i + 1} of {n} providers with complete drafts", end="\r", flush=True)
    print(f"  {n} providers with complete drafts in {time.perf_counter() - started:.0f} s" + " " * 20)
    return surge, direct, providers


# The server --------------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(database_url: str, log: Path) -> tuple[subprocess.Popen, str]:
    """Start gunicorn as bin/serve does, on a free loopback port; return the process and its address."""
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "PYTHONPATH": str(ROOT / "src") + (f":{os.environ['PYTHONPATH']}" if os.environ.get("PYTHONPATH") else ""),
        "LOG_LEVEL": "WARNING",
    }
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [
        str(gunicorn),
        "commissioning.config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--graceful-timeout",
        "10",
        # The default control socket is one path per user: another gunicorn on the machine would share it.
        "--no-control-socket",
    ]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(process, base, log)
        # Every worker loads its templates on its first requests: make them before the clock starts.
        for _ in range(4 * WORKERS * THREADS):
            requests.get(base + reverse("accounts:sign-in"), timeout=HTTP_SECONDS)
    except BaseException:
        stop(process)
        raise
    return process, base


def _wait_until_serving(process: subprocess.Popen, base: str, log: Path) -> None:
    give_up = time.monotonic() + 120
    while True:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {process.returncode}): see {log}")
        try:
            if requests.get(base + "/", timeout=30).status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > give_up:
            raise SystemExit(f"gunicorn did not answer within 120 s: see {log}")
        time.sleep(0.2)


def server_cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time (user and system) the gunicorn master and its live workers have used so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone while we looked
        pid, ppid = int(stat.parent.name), int(fields[1])
        if process.pid in (pid, ppid):
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def client_cpu_seconds() -> float:
    """CPU time this process (the simulated providers' threads) has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def stop(process: subprocess.Popen) -> None:
    """Stop the gunicorn this run started (its master stops its own workers), and only that."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The simulated providers ---------------------------------------------------------------------------------------


class Log:
    """What every thread saw, kept under one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def timed(self, kind: str, call):
        start = time.perf_counter()
        try:
            response = call()
        except requests.RequestException as exc:
            self.error(f"{kind}: {exc!r}")
            raise
        elapsed = time.perf_counter() - start
        with self.lock:
            self.latency.setdefault(kind, []).append(elapsed)
        if response.status_code >= 400:
            self.error(f"{kind}: HTTP {response.status_code} at {response.url}")
        return response

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)


class Failed(Exception):
    """A simulated provider could not go on."""


def _post(session: requests.Session, url: str, data: dict) -> requests.Response:
    return session.post(url, data={**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}, timeout=HTTP_SECONDS)


def _browser() -> requests.Session:
    """A client that, like a browser, asks again when a kept-alive connection it reuses turns out closed.

    Only for GETs: a POST is never sent twice by the client itself (a double click is made on purpose).
    """
    session = requests.Session()
    retry = Retry(total=2, connect=2, read=2, status=0, allowed_methods={"GET"}, backoff_factor=0)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


def _sign_in(log: Log, base: str, provider: Provider) -> requests.Session:
    session = _browser()
    url = base + reverse("accounts:sign-in")
    log.timed("sign-in page", lambda: session.get(url, timeout=HTTP_SECONDS))
    password = _password()
    response = log.timed("sign in", lambda: _post(session, url, {"username": provider.email, "password": password}))
    if urlsplit(response.url).path == reverse("accounts:sign-in"):
        raise Failed(f"provider {provider.index} could not sign in")
    return session


def _password() -> str:
    from commissioning.accounts.tests.factories import PASSWORD

    return PASSWORD


def _save(
    log: Log, base: str, session: requests.Session, provider: Provider, number: int, text: str, *, then: str = "save"
) -> bool:
    """Save an answer from its question page (opened first unless it is already showing).

    ``then`` is the button: "next" goes on to the next question's page, "save" back to the task list.
    True when saved, False when refused for the deadline.
    """
    url = base + reverse("submissions:question", args=[provider.public_id, number])
    if number not in provider.showing:
        log.timed("question page", lambda: session.get(url, timeout=HTTP_SECONDS))
    response = log.timed("save", lambda: _post(session, url, {"text": text, "action": then}))
    landed = urlsplit(response.url).path
    if then == "next" and landed == reverse("submissions:question", args=[provider.public_id, number + 1]):
        provider.showing = {number + 1}
    elif landed != reverse("submissions:tasks", args=[provider.public_id]):
        if REFUSED_LATE in response.text:
            return False
        raise Failed(f"provider {provider.index}: the save of question {number} was neither saved nor refused")
    else:
        provider.showing = set()
    provider.saved.append(text)
    return True


def _press_submit(log: Log, base: str, session: requests.Session, provider: Provider, kind: str):
    url = base + reverse("submissions:check", args=[provider.public_id])
    data = {"declaration_name": f"Director {provider.index}", "declaration_role": "Director", "confirmed": "on"}
    response = log.timed(kind, lambda: _post(session, url, data))
    match = RECEIPT.search(urlsplit(response.url).path)
    if match:
        digest = DIGEST.search(response.text)
        if not digest:
            raise Failed(f"provider {provider.index}: a receipt without a digest")
        return int(match.group(1)), digest.group(1)
    if REFUSED_LATE in response.text:
        return None
    raise Failed(f"provider {provider.index}: submit neither gave a receipt nor was refused for the deadline")


def _clone(session: requests.Session) -> requests.Session:
    """The same browser on a second connection: what a double click sends."""
    twin = _browser()
    twin.cookies.update(session.cookies)
    return twin


def run_provider(log: Log, base: str, provider: Provider, start: float, burst_at: float, rng: random.Random) -> None:
    try:
        _until(start + provider.arrives)
        session = _sign_in(log, base, provider)
        if provider.late:
            provider.save_refused = not _save(log, base, session, provider, 1, f"Too late, from {provider.index}.")
            provider.pressed_at = time.time()
            outcome = _press_submit(log, base, session, provider, "submit")
            if outcome:
                provider.receipts.append(outcome)
            else:
                provider.refused_late = True
            return
        _save(log, base, session, provider, 1, f"Answer 1 from provider {provider.index}, revised.", then="next")
        _save(log, base, session, provider, 2, f"Answer 2 from provider {provider.index}, revised.")
        # The last stretch: nobody is in lockstep, but everyone is in it.
        _until(burst_at + rng.uniform(0, 3))
        if not _save(log, base, session, provider, 3, f"Final answer from provider {provider.index}."):
            provider.save_refused = True
            return
        url = base + reverse("submissions:check", args=[provider.public_id])
        log.timed("check page", lambda: session.get(url, timeout=HTTP_SECONDS))
        provider.pressed_at = time.time()
        if provider.double_click:
            twin = _clone(session)
            barrier = threading.Barrier(2)
            outcomes: list = [None, None]

            def click(slot: int, browser: requests.Session) -> None:
                try:
                    barrier.wait(timeout=HTTP_SECONDS)
                    outcomes[slot] = _press_submit(log, base, browser, provider, "submit")
                except (Failed, requests.RequestException, threading.BrokenBarrierError) as exc:
                    log.error(str(exc))

            second = threading.Thread(target=click, args=(1, twin))
            second.start()
            click(0, session)
            second.join(HTTP_SECONDS)
            got = [o for o in outcomes if o]
        else:
            got = [o for o in [_press_submit(log, base, session, provider, "submit")] if o]
        if not got:
            provider.refused_late = True
            return
        provider.received_at = time.time()
        provider.receipts.extend(got)
        if provider.retry:
            again = _press_submit(log, base, session, provider, "submit again")
            if again:
                provider.receipts.append(again)
    except Failed as exc:
        log.error(str(exc))
    except requests.RequestException:
        pass  # already logged


def _until(moment: float) -> None:
    delay = moment - time.time()
    if delay > 0:
        time.sleep(delay)


def surge(base: str, opportunity, providers: list[Provider]) -> dict:
    """Set the deadline DEADLINE_SECONDS ahead and run every provider in a thread of its own."""
    from datetime import timedelta

    from commissioning.core import clock
    from commissioning.opportunities.models import Opportunity

    rng = random.Random(20270301)
    start = time.time()
    deadline = clock.now().replace(microsecond=0) + timedelta(seconds=DEADLINE_SECONDS)
    # Straight to the table: a benchmark's setting, not a commissioner's amendment (which would refuse it).
    Opportunity.objects.filter(pk=opportunity.pk).update(
        submission_deadline=deadline, question_deadline=deadline - timedelta(seconds=1)
    )
    deadline_ts = deadline.timestamp()
    burst_at = deadline_ts - BURST_SECONDS
    window = max(1.0, burst_at - start - 5)
    for provider in providers:
        if provider.late:
            provider.arrives = deadline_ts - start + rng.uniform(2, 8)
        else:
            # Arrivals thicken towards the deadline: the density of sqrt(u) rises linearly.
            provider.arrives = window * math.sqrt(rng.random())
    log = Log()
    threads = [
        threading.Thread(target=run_provider, args=(log, base, p, start, burst_at, random.Random(p.index)), daemon=True)
        for p in providers
    ]
    print(
        f"  deadline in {DEADLINE_SECONDS:.0f} s; {len(providers)} providers, all submitting in the last "
        f"{BURST_SECONDS:.0f} s; {sum(p.late for p in providers)} arrive after the deadline"
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DEADLINE_SECONDS + 10 * HTTP_SECONDS)
    stuck = sum(t.is_alive() for t in threads)
    if stuck:
        log.error(f"{stuck} simulated providers had not finished")
    return {"log": log, "deadline": deadline, "start": start, "burst_at": burst_at}


# What it left behind -------------------------------------------------------------------------------------------


def check(providers: list[Provider], deadline) -> dict:
    """Lost, duplicated and accepted after the deadline, from what the providers saw and what the database holds."""
    from django.db.models import Count

    from commissioning.submissions.models import Answer, Submission, SubmissionRecord

    by_pk = {p.surge_pk: p for p in providers}
    records = {(r.submission_id, r.number): r for r in SubmissionRecord.objects.filter(submission_id__in=by_pk)}
    lost, duplicated, problems = 0, 0, []
    for provider in providers:
        numbers = {number for number, _ in provider.receipts}
        if len(numbers) > 1:
            duplicated += len(numbers) - 1
            problems.append(f"provider {provider.index}: one press, receipts {sorted(numbers)}")
        for number, digest in set(provider.receipts):
            record = records.get((provider.surge_pk, number))
            if record is None or record.sha256 != digest:
                lost += 1
                problems.append(f"provider {provider.index}: receipt {number} {digest[:12]}… has no such record")
                continue
            missing = [text for text in provider.saved if text not in record.canonical]
            if missing and not provider.late:
                lost += len(missing)
                problems.append(f"provider {provider.index}: saved {missing} before submitting, not in record")
    per_revision = (
        SubmissionRecord.objects.filter(submission_id__in=by_pk)
        .values("submission_id", "revision")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    duplicated += sum(row["n"] - 1 for row in per_revision)
    # Every provider submitted one revision only, so a second record of one draft is a duplicate too.
    per_draft = Counter(submission_id for submission_id, _ in records)
    duplicated += sum(n - 1 for n in per_draft.values() if n > 1)
    late_records = SubmissionRecord.objects.filter(submission_id__in=by_pk, submitted_at__gte=deadline).count()
    late_saves = Answer.objects.filter(submission_id__in=by_pk, updated_at__gte=deadline).count()
    late_receipts = sum(1 for p in providers if p.late and p.receipts)
    on_time = [p for p in providers if not p.late]
    submitted = Submission.objects.filter(pk__in=[p.surge_pk for p in on_time], status="submitted").count()
    return {
        "lost": lost,
        "duplicated": duplicated,
        "accepted_after_deadline": late_records + late_saves + late_receipts,
        "records": len(records),
        "on_time_providers": len(on_time),
        "on_time_with_receipt": sum(1 for p in on_time if p.receipts),
        "on_time_drafts_submitted": submitted,
        "on_time_last_save_refused_late": sum(1 for p in on_time if p.save_refused),
        "pressed_in_time_but_refused_late": sum(
            1 for p in on_time if p.refused_late and p.pressed_at and p.pressed_at < deadline.timestamp()
        ),
        "late_providers": len(providers) - len(on_time),
        "late_submits_refused": sum(1 for p in providers if p.late and p.refused_late),
        "late_saves_refused": sum(1 for p in providers if p.late and p.save_refused),
        "problems": problems[:20],
    }


def direct(providers: list[Provider]) -> dict:
    """Submit the second tender's drafts one after another through the service alone, timing each."""
    from commissioning.accounts.models import User
    from commissioning.submissions import services
    from commissioning.submissions.models import Submission

    people = {u.pk: u for u in User.objects.filter(pk__in=[p.person_pk for p in providers])}
    drafts = {s.pk: s for s in Submission.objects.filter(pk__in=[p.direct_pk for p in providers])}
    samples = []
    started = time.perf_counter()
    for provider in providers:
        person = people[provider.person_pk]
        start = time.perf_counter()
        services.submission_submit(
            actor=person,
            submission=drafts[provider.direct_pk],
            declaration_name=f"Director {provider.index}",
            declaration_role="Director",
            confirmed=True,
        )
        samples.append(time.perf_counter() - start)
    seconds = time.perf_counter() - started
    return {
        "submissions": len(samples),
        "seconds": round(seconds, 2),
        "per_second": round(len(samples) / seconds, 1),
        "submit_ms": summary(samples),
    }


def summary(samples: list[float]) -> dict:
    """Median, 95th and 99th percentile (nearest rank) and the slowest, in milliseconds."""
    if not samples:
        return {"count": 0}
    ordered = sorted(samples)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)] * 1000

    return {
        "count": len(ordered),
        "median": round(statistics.median(ordered) * 1000, 1),
        "p95": round(rank(0.95), 1),
        "p99": round(rank(0.99), 1),
        "max": round(ordered[-1] * 1000, 1),
    }


def main() -> None:
    setup_test_environment()
    _isolate_database()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    print(f"building a {connection.vendor} database with {PROVIDERS} providers…")
    old = setup_databases(verbosity=0, interactive=False, serialized_aliases=set())
    process = None
    try:
        opportunity, second, providers = seed(PROVIDERS)
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        process, base = serve(_database_url(), OUT_DIR / f"surge-gunicorn-{connection.vendor}.log")
        connection.close()  # the server's connections only, while it runs
        cpu_before = server_cpu_seconds(process), client_cpu_seconds()
        ran = surge(base, opportunity, providers)
        cpu = server_cpu_seconds(process) - cpu_before[0], client_cpu_seconds() - cpu_before[1]
        load_at_peak = [round(x, 2) for x in os.getloadavg()]
        stop(process)
        log, deadline = ran["log"], ran["deadline"]
        checks = check(providers, deadline)
        done = [p for p in providers if not p.late and p.receipts]
        submits = log.latency.get("submit", [])
        # Throughput of the last stretch: drafts submitted, from the first press to the last receipt.
        span = (max(p.received_at for p in done) - min(p.pressed_at for p in done)) if done else 0.0
        web_rate = len(done) / span if span else 0.0
        requests_made = sum(len(samples) for samples in log.latency.values())
        straight = direct(providers)
        report = {
            "benchmark": "surge",
            # The client threads share the machine with the server, and other work shows first in the p99.
            "machine": where.machine(load_average_at_start=load_at_start, load_average_after_surge=load_at_peak),
            "database": where.database(),
            "server": {"gunicorn_workers": WORKERS, "threads": THREADS},
            "providers": PROVIDERS,
            "deadline_seconds": DEADLINE_SECONDS,
            "burst_seconds": BURST_SECONDS,
            "web": {
                "submissions": checks["on_time_with_receipt"],
                "submit_presses": len(submits) + len(log.latency.get("submit again", [])),
                "seconds": round(span, 2),
                "per_second": round(web_rate, 1),
                "latency_ms": {kind: summary(samples) for kind, samples in sorted(log.latency.items())},
                # CPU the server and the simulated browsers used over the whole surge: on a shared machine
                # the wall-clock rate above falls with the load, the CPU per submission much less.
                "server_cpu_seconds": round(cpu[0], 1),
                "client_cpu_seconds": round(cpu[1], 1),
                "server_cpu_ms_per_request": round(1000 * cpu[0] / max(1, requests_made), 1),
                "requests": requests_made,
                "errors": len(log.errors),
                "first_errors": log.errors[:20],
            },
            "direct": straight,
            "web_to_direct": round(web_rate / straight["per_second"], 2) if straight["per_second"] else None,
            "checks": checks,
        }
        out = OUT_DIR / f"surge-{connection.vendor}.json"
        out.write_text(json.dumps(report, indent=2) + "\n")
        print_report(report)
        print(f"written to {out.relative_to(ROOT)}")
    finally:
        if process is not None:
            stop(process)
        connection.close()
        teardown_databases(old, verbosity=0)
        shutil.rmtree(MEDIA_DIR, ignore_errors=True)
    failed = report["checks"]["lost"] or report["checks"]["duplicated"] or report["checks"]["accepted_after_deadline"]
    if failed or report["web"]["errors"]:
        raise SystemExit(1)


def print_report(report: dict) -> None:
    web, checks = report["web"], report["checks"]
    print()
    print(
        f"{report['database']['vendor']} {report['database']['version']} on {report['machine']['machine']}, "
        f"{report['machine']['cores']} cores, Python {report['machine']['python']}; gunicorn "
        f"{WORKERS}x{THREADS} threads; load average {report['machine']['load_average_after_surge'][0]:.2f} "
        f"after the surge"
    )
    print(
        f"web:    {web['submissions']} submissions in {web['seconds']:.1f} s = {web['per_second']:.1f} per second "
        f"({web['submit_presses']} presses of submit)"
    )
    print(
        f"        server CPU {web['server_cpu_seconds']:.0f} s for {web['requests']} requests "
        f"({web['server_cpu_ms_per_request']:.0f} ms each); the simulated browsers {web['client_cpu_seconds']:.0f} s"
    )
    direct_ = report["direct"]
    print(
        f"direct: {direct_['submissions']} submissions in {direct_['seconds']:.1f} s = "
        f"{direct_['per_second']:.1f} per second; web/direct {report['web_to_direct']}"
    )
    print(f"{'latency (ms)':<16}{'count':>7}{'median':>9}{'p95':>9}{'p99':>9}{'max':>9}")
    for kind, s in web["latency_ms"].items():
        if s["count"]:
            print(f"{kind:<16}{s['count']:>7}{s['median']:>9.1f}{s['p95']:>9.1f}{s['p99']:>9.1f}{s['max']:>9.1f}")
    s = direct_["submit_ms"]
    print(f"{'direct submit':<16}{s['count']:>7}{s['median']:>9.1f}{s['p95']:>9.1f}{s['p99']:>9.1f}{s['max']:>9.1f}")
    print(f"submissions lost {checks['lost']}")
    print(f"duplicated {checks['duplicated']}")
    print(f"accepted after the deadline {checks['accepted_after_deadline']}")
    print(
        f"on time: {checks['on_time_with_receipt']} of {checks['on_time_providers']} got a receipt "
        f"({checks['pressed_in_time_but_refused_late']} pressed submit in time but reached the server after the "
        f"deadline, {checks['on_time_last_save_refused_late']} could not save their last answer before it); "
        f"late: {checks['late_submits_refused']} of {checks['late_providers']} submits and "
        f"{checks['late_saves_refused']} saves refused; HTTP errors {web['errors']}"
    )
    for problem in checks["problems"] + web["first_errors"]:
        print(f"  ! {problem}")


if __name__ == "__main__":
    main()
