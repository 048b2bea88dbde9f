"""Benchmark: the contracts register, a commissioner's contracts list and a provider's calendar at scale.

Run (not part of the test suite; `make bench` runs it):

    COMMISSIONING_TESTING=1 .venv/bin/python -m tests.bench.contracts
    DATABASE_URL=postgres://... COMMISSIONING_TESTING=1 .venv/bin/python -m tests.bench.contracts

It builds a throwaway database of its own, makes one real agreement per commissioning body through the
services (drafted, issued, accepted), then bulk-loads copies of them to BENCH_AGREEMENTS agreements
(10,000 unless set) across BENCH_PROVIDERS providers, each with its plan of BENCH_RETURNS returns
(10 unless set: 100,000 in all) in every state and quarterly payments, some paid. One provider holds
BENCH_CALENDAR accepted agreements (50 unless set) for its calendar. Each page and API list is timed
through Django's test client (BENCH_REPEAT requests after warm-ups), reported as the median and 95th
percentile in milliseconds with the queries each makes (BENCH_KEEP=1 keeps the database between
runs, for measuring one change after another), and as a ratio to the home page measured the same
way (ratios travel between machines better than times). Results go to var/bench/contracts-<vendor>.json
with the machine, its load and the database noted. The target is a p95 under 100 ms and a number of
queries that does not grow with the data.
"""

import json
import os
import platform
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.config.settings")
os.environ.setdefault("COMMISSIONING_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

from tests.bench import report as where  # noqa: E402
from tests.bench.finder import measure  # noqa: E402

AGREEMENTS = int(os.environ.get("BENCH_AGREEMENTS", "10000"))
RETURNS = int(os.environ.get("BENCH_RETURNS", "10"))
PROVIDERS = int(os.environ.get("BENCH_PROVIDERS", "400"))
CALENDAR = int(os.environ.get("BENCH_CALENDAR", "50"))
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
BATCH = 1000
TARGET_P95_MS = 100.0
OUT_DIR = ROOT / "var" / "bench"
STATES = ["accepted"] * 6 + ["submitted", "queried", "draft", "not_started"]


def _isolate_database() -> None:
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        test["NAME"] = str(OUT_DIR / "contracts-bench.sqlite3")
    else:
        test["NAME"] = "bench_contracts_kept" if KEEP else f"bench_contracts_{os.getpid()}"


def _copy(template, **changes):
    from commissioning.contracts.models import Agreement, feedback_token

    fields = {
        f.attname: getattr(template, f.attname)
        for f in Agreement._meta.concrete_fields
        if f.attname not in ("id", "feedback_token")
    }
    return Agreement(**{**fields, "feedback_token": feedback_token(), **changes})


def seed() -> dict:
    """Real agreements through the services, then bulk copies of them with their returns and payments."""
    from commissioning.accounts.tests.factories import VerifiedProviderFactory
    from commissioning.contracts.models import Agreement, MonitoringReturn, Payment
    from commissioning.contracts.tests.factories import direct_agreement
    from commissioning.submissions.tests.factories import bidder

    rng = random.Random(20261203)
    started = time.perf_counter()
    templates = [direct_agreement(accept_as=True, starts_on=date(2025, 4, 1), months=36) for _ in range(3)]
    calendar_admin, calendar_provider = bidder(evidence=False)
    providers = [calendar_provider] + [VerifiedProviderFactory() for _ in range(PROVIDERS - 1)]
    from commissioning.accounts.models import OrganisationIdentifier

    OrganisationIdentifier.objects.bulk_create(
        [
            OrganisationIdentifier(organisation=p, scheme="GB-CHC", value=str(2_000_000 + i), is_primary=True)
            for i, p in enumerate(providers)
            if not p.identifiers.exists()
        ]
    )
    made = 0
    while made < AGREEMENTS:
        size = min(BATCH, AGREEMENTS - made)
        rows = []
        for i in range(made, made + size):
            template = templates[i % len(templates)]
            provider = calendar_provider if i < CALENDAR else providers[1 + i % (len(providers) - 1)]
            start = date(2024, 4, 1) + timedelta(days=rng.randint(0, 900))
            status = "accepted" if i < CALENDAR or rng.random() < 0.8 else rng.choice(["issued", "draft"])
            rows.append(
                _copy(
                    template,
                    reference=f"AG-2099-{i + 1:06d}",
                    provider_id=provider.pk,
                    title=f"{rng.choice(['Befriending', 'Advice', 'Carers support', 'Youth work'])} {i}",
                    starts_on=start,
                    ends_on=start + timedelta(days=3 * 365 - 1),
                    value=Decimal(rng.randrange(5_000, 900_000, 100)),
                    status=status,
                )
            )
        with transaction.atomic():
            created = Agreement.objects.bulk_create(rows)
            if any(a.pk is None for a in created):
                ids = dict(
                    Agreement.objects.filter(reference__in=[a.reference for a in created]).values_list(
                        "reference", "pk"
                    )
                )
                for a in created:
                    a.pk = a.id = ids[a.reference]
            returns, payments = [], []
            today = date.today()
            for a in created:
                if a.status == "draft":
                    continue
                for number in range(1, RETURNS + 1):
                    end = a.starts_on + timedelta(days=91 * number - 1)
                    due = end + timedelta(days=20)
                    state = rng.choice(STATES) if due < today else "not_started"
                    returns.append(
                        MonitoringReturn(
                            agreement_id=a.pk,
                            number=number,
                            period_start=end - timedelta(days=90),
                            period_end=end,
                            due_on=due,
                            status=state,
                        )
                    )
                for number in range(1, 13):
                    due = a.starts_on + timedelta(days=91 * number)
                    paid = due < today - timedelta(days=45)
                    payments.append(
                        Payment(
                            agreement_id=a.pk,
                            number=number,
                            due_on=due,
                            amount=(a.value / 12).quantize(Decimal("0.01")),
                            invoice_received_on=due if paid else None,
                            paid_on=due + timedelta(days=rng.randint(5, 70)) if paid else None,
                        )
                    )
            MonitoringReturn.objects.bulk_create(returns, batch_size=5000)
            Payment.objects.bulk_create(payments, batch_size=5000)
        made += size
        print(f"  loaded {made:,} of {AGREEMENTS:,} agreements", end="\r", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    seconds = time.perf_counter() - started
    print(f"  loaded {AGREEMENTS:,} agreements in {seconds:.0f} s" + " " * 20)
    return {
        "seconds": round(seconds, 1),
        "agreements": Agreement.objects.count(),
        "returns": MonitoringReturn.objects.count(),
        "payments": Payment.objects.count(),
        "commissioner": templates[0].commissioner_person,
        "calendar_admin": calendar_admin,
        "body": templates[0].commissioner.slug,
    }


PUBLIC = {
    "home page (baseline)": "/",
    "register": "/contracts/",
    "register: q=advice": "/contracts/?q=advice",
    "register: grants, running": "/contracts/?kind=grant&live=live",
    "register: one body": "/contracts/?body={body}",
    "register: page 50": "/contracts/?page=50",
    "register: an agreement": "/contracts/AG-2099-000100/",
    "API: register, 50 items": "/api/v1/contracts?limit=50",
    "API: register, offset 5000": "/api/v1/contracts?limit=50&offset=5000",
}
COMMISSIONER = {
    "contracts list": "/contracts/commissioning/",
    "contracts list: q=advice": "/contracts/commissioning/?q=advice",
    "contracts list: accepted, page 20": "/contracts/commissioning/?status=accepted&page=20",
    "paying on time": "/contracts/commissioning/payments/",
}
PROVIDER = {
    "provider's calendar (50 agreements)": "/contracts/yours/calendar/",
    "provider's agreements": "/contracts/yours/",
}


def kept() -> dict | None:
    """The people and counts of a kept database (``BENCH_KEEP=1``), or None when it must be loaded."""
    from commissioning.accounts.models import Membership, Role
    from commissioning.contracts.models import Agreement, MonitoringReturn, Payment

    first = Agreement.objects.order_by("pk").first()
    if first is None:
        return None
    calendar_provider = Agreement.objects.get(reference="AG-2099-000001").provider
    print("  reusing the kept database")
    return {
        "agreements": Agreement.objects.count(),
        "returns": MonitoringReturn.objects.count(),
        "payments": Payment.objects.count(),
        "kept": True,
        "commissioner": first.created_by,
        "calendar_admin": Membership.objects.filter(organisation=calendar_provider, role=Role.PROVIDER_ADMIN)
        .first()
        .user,
        "body": first.commissioner.slug,
    }


def main() -> None:
    setup_test_environment()
    _isolate_database()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    print(f"building a {connection.vendor} database of {AGREEMENTS:,} agreements…")
    old = setup_databases(verbosity=0, interactive=False, keepdb=KEEP)
    try:
        loaded = (kept() if KEEP else None) or seed()
        results = {}
        for people, paths in (
            (None, PUBLIC),
            (loaded["commissioner"], COMMISSIONER),
            (loaded["calendar_admin"], PROVIDER),
        ):
            client = Client()
            if people is not None:
                client.force_login(people)
            for label, path in paths.items():
                results[label] = r = measure(client, path.format(body=loaded["body"]))
                print(
                    f"  {label:<38} median {r['median_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   "
                    f"{r['queries']:2d} queries"
                )
        baseline = results["home page (baseline)"]["median_ms"] or 1
        for r in results.values():
            r["ratio_to_home_page"] = round(r["median_ms"] / baseline, 1)
        report = {
            "benchmark": "contracts",
            "machine": where.machine(load_average_at_start=load_at_start),
            "database": where.database(),
            "loaded": {k: v for k, v in loaded.items() if k not in ("commissioner", "calendar_admin", "body")},
            "target_p95_ms": TARGET_P95_MS,
            "results": results,
        }
        previous = OUT_DIR / f"contracts-{connection.vendor}.json"
        before = json.loads(previous.read_text())["results"] if previous.exists() else {}
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        previous.write_text(json.dumps(report, indent=2, default=str) + "\n")
        print()
        print(
            f"{connection.vendor} {report['database']['version']} on {platform.machine()}, {os.cpu_count()} cores; "
            f"{loaded['agreements']:,} agreements, {loaded['returns']:,} returns, {loaded['payments']:,} payments; "
            f"load average {load_at_start[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end"
        )
        print(f"{'request':<40}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'x home':>8}{'x before':>10}")
        for label, r in results.items():
            flag = "" if r["p95_ms"] <= TARGET_P95_MS else "  SLOW"
            was = before.get(label, {}).get("median_ms")
            change = f"{r['median_ms'] / was:.2f}" if was else "–"
            print(
                f"{label:<40}{r['median_ms']:>10.1f}{r['p95_ms']:>10.1f}{r['queries']:>9}"
                f"{r['ratio_to_home_page']:>8}{change:>10}{flag}"
            )
        print(f"written to {previous.relative_to(ROOT)}")
    finally:
        teardown_databases(old, verbosity=0, keepdb=KEEP)


if __name__ == "__main__":
    main()
