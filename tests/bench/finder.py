"""Benchmark: the opportunity finder and the API list over 100,000 published opportunities.

Run (not part of the test suite):

    COMMISSIONING_TESTING=1 .venv/bin/python -m tests.bench.finder
    DATABASE_URL=postgres://... COMMISSIONING_TESTING=1 .venv/bin/python -m tests.bench.finder

It builds a throwaway database of its own (never the test database another
run may be using), bulk-loads BENCH_OPPORTUNITIES published opportunities
(100,000 unless set) with lots and wards, then times each finder page and API
list through Django's test client: BENCH_REPEAT requests each (30 unless set)
after a warm-up, reported as the median and 95th percentile in milliseconds,
with the queries each request makes. Results go to
var/bench/finder-<vendor>.json with the machine and database noted.
BENCH_EXPLAIN=1 prints the query plan of every query on requests slower than
the target. BENCH_KEEP=1 keeps the database afterwards and reuses a kept one
that already holds the opportunities, for measuring one change after another.
"""

import json
import math
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import ROUND_DOWN, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.config.settings")
os.environ.setdefault("COMMISSIONING_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_databases, setup_test_environment, teardown_databases  # noqa: E402

from tests.bench import report as where  # noqa: E402

OPPORTUNITIES = int(os.environ.get("BENCH_OPPORTUNITIES", "100000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
EXPLAIN = os.environ.get("BENCH_EXPLAIN", "") == "1"
KEEP = os.environ.get("BENCH_KEEP", "") == "1"
TARGET_P95_MS = 100.0
BATCH = 5000
OUT_DIR = ROOT / "var" / "bench"

ARMLEY = "E05011389"

LEADS = [
    "Community",
    "Peer",
    "Specialist",
    "Early help",
    "Integrated",
    "Neighbourhood",
    "Citywide",
    "Targeted",
    "Preventative",
    "Outreach",
    "Volunteer-led",
    "Culturally appropriate",
]
TOPICS = [
    "mental health support",
    "befriending",
    "debt and welfare advice",
    "carers' breaks",
    "youth mentoring",
    "digital inclusion",
    "housing support",
    "drug and alcohol recovery",
    "employment and skills",
    "dementia support",
    "social prescribing",
    "domestic abuse support",
    "food poverty",
    "community transport",
    "physical activity",
    "bereavement support",
    "parenting support",
    "refugee and asylum support",
    "financial inclusion",
    "loneliness and isolation",
]
GROUPS = [
    "older people",
    "young people",
    "families",
    "unpaid carers",
    "veterans",
    "people with learning disabilities",
    "new parents",
    "men over 50",
    "students",
    "people leaving hospital",
]
SUMMARY_WORDS = (
    "weekly groups drop-in sessions one-to-one support outreach volunteers partnership referral pathway "
    "co-production lived experience prevention wellbeing resilience independence connected neighbourhoods "
    "trusted relationships evidence outcomes equality access languages accessible venues evenings weekends"
).split()


def _isolate_database() -> None:
    # A name of our own, so a test run going on at the same time keeps its database.
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        test["NAME"] = str(OUT_DIR / "finder-bench.sqlite3")
    else:
        test["NAME"] = "bench_finder_kept" if KEEP else f"bench_finder_{os.getpid()}"


def seed(n: int) -> dict:
    """Bulk-load ``n`` published opportunities, with lots and wards, as fast as the database allows."""
    from commissioning.accounts.tests.factories import CommissionerOrgFactory, UserFactory
    from commissioning.core import clock
    from commissioning.core.models import Ward
    from commissioning.opportunities.models import Lot, Opportunity, ServiceArea

    rng = random.Random(20260401)
    now = clock.now().replace(minute=0, second=0, microsecond=0)
    bodies = [CommissionerOrgFactory() for _ in range(6)]
    author = UserFactory()
    areas = list(ServiceArea.objects.all())
    wards = list(Ward.objects.all())
    started = time.perf_counter()
    made = 0
    while made < n:
        size = min(BATCH, n - made)
        rows, lot_counts = [], {}
        for i in range(made, made + size):
            kind = "grant" if rng.random() < 0.3 else "tender"
            topic = rng.choice(TOPICS)
            group = rng.choice(GROUPS)
            place = rng.choice(wards).name
            # Values from £5,000 to £2m, most of them small, as in the voluntary sector.
            value = Decimal(round(math.exp(rng.uniform(math.log(5_000), math.log(2_000_000))), -2))
            deadline = now + timedelta(hours=rng.randint(-90 * 24, 90 * 24))
            published = deadline - timedelta(days=rng.randint(20, 90))
            status = "withdrawn" if rng.random() < 0.02 else "published"
            lot_count = rng.choice([1, 1, 2, 3])
            each = (value / lot_count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            reference = f"BEN-{i:07d}"
            lot_counts[reference] = lot_count
            rows.append(
                Opportunity(
                    reference=reference,
                    kind=kind,
                    title=f"{rng.choice(LEADS)} {topic} for {group} in {place}"[:200],
                    summary=" ".join(rng.choices(SUMMARY_WORDS, k=14)).capitalize() + f" Focused on {topic}.",
                    description=" ".join(rng.choices(SUMMARY_WORDS, k=60)),
                    outcomes="\n".join(rng.choices(SUMMARY_WORDS, k=3)),
                    service_area=rng.choice(areas),
                    city_wide=rng.random() < 0.1,
                    total_value=value,
                    value_includes_vat=True,
                    duration_months=rng.choice([12, 24, 36]),
                    lead_commissioner=rng.choice(bodies),
                    regime="grant" if kind == "grant" else "below_threshold",
                    status=status,
                    status_reason="Withdrawn for the benchmark" if status == "withdrawn" else "",
                    question_deadline=deadline - timedelta(days=10),
                    submission_deadline=deadline,
                    expected_award=(deadline + timedelta(days=30)).date(),
                    service_start=(deadline + timedelta(days=90)).date(),
                    price_weight=Decimal(0) if kind == "grant" else Decimal(30),
                    price_method="none" if kind == "grant" else "lowest_proportional",
                    published_at=published,
                    smallest_lot_value=each,
                    created_by=author,
                )
            )
        with transaction.atomic():
            created = Opportunity.objects.bulk_create(rows)
            if any(o.pk is None for o in created):
                # Both databases return the new ids; a backend that does not must read them back.
                references = [o.reference for o in created]
                ids = dict(Opportunity.objects.filter(reference__in=references).values_list("reference", "pk"))
                for o in created:
                    o.pk = o.id = ids[o.reference]
            ward_rows, lots = [], []
            through = Opportunity.wards.through
            for o in created:
                if not o.city_wide:
                    for ward in rng.sample(wards, rng.randint(1, 3)):
                        ward_rows.append(through(opportunity_id=o.pk, ward_id=ward.pk))
                count = lot_counts[o.reference]
                each = o.smallest_lot_value
                for number in range(1, count + 1):
                    if o.kind == "grant":
                        pricing = {"pricing": "max_award", "max_award": min(each, Decimal(10_000))}
                    else:
                        pricing = {"pricing": "floor", "floor_price": (each * Decimal("0.7")).quantize(Decimal("0.01"))}
                    lots.append(Lot(opportunity_id=o.pk, number=number, title=f"Lot {number}", value=each, **pricing))
            through.objects.bulk_create(ward_rows)
            Lot.objects.bulk_create(lots)
        made += size
        print(f"  loaded {made:,} of {n:,} opportunities", end="\r", flush=True)
    with connection.cursor() as cursor:
        # What autovacuum would leave after a bulk load (statistics, and a visibility map so
        # index-only scans need not visit the table), or PRAGMA optimize on SQLite.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    seconds = time.perf_counter() - started
    print(f"  loaded {n:,} opportunities in {seconds:.0f} s" + " " * 20)
    return {
        "seconds": round(seconds, 1),
        "opportunities": Opportunity.objects.count(),
        "lots": Lot.objects.count(),
        "ward_links": Opportunity.wards.through.objects.count(),
    }


def kept() -> dict | None:
    """What a kept database already holds, or None when it must be loaded."""
    from commissioning.opportunities.models import Lot, Opportunity

    held = Opportunity.objects.count()
    if held == 0:
        return None
    if held != OPPORTUNITIES:
        raise SystemExit(f"the kept database holds {held:,} opportunities, not {OPPORTUNITIES:,}: delete it first")
    # Migrations new since it was kept have already run (setup_databases keeps and migrates it).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print("  reusing the kept database")
    return {"opportunities": OPPORTUNITIES, "lots": Lot.objects.count(), "kept": True}


def measure(client: Client, path: str) -> dict:
    """Time ``REPEAT`` requests after two warm-ups; count the queries of one."""
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code, response.content[:300])
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    # Copied now: the next request clears the connection's query log.
    captured = list(queries.captured_queries)
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    p95 = samples[max(0, math.ceil(0.95 * len(samples)) - 1)]
    result = {
        "path": path,
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(p95, 1),
        "min_ms": round(samples[0], 1),
        "queries": len(captured),
        "slowest_query_ms": round(max((float(q["time"]) * 1000 for q in captured), default=0), 1),
    }
    if path.startswith("/api/"):
        result["count"] = response.json()["count"]
    if EXPLAIN and p95 > TARGET_P95_MS:
        explain(captured)
    return result


def explain(captured: list[dict]) -> None:
    prefix = "EXPLAIN ANALYZE " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    for query in captured:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        print(f"\n-- {float(query['time']) * 1000:.1f} ms: {query['sql'][:400]}")
        with connection.cursor() as cursor:
            cursor.execute(prefix + query["sql"])
            for row in cursor.fetchall():
                print("   ", " ".join(str(part) for part in row))


PATHS = {
    "finder: open, closing soonest": "/opportunities/",
    "finder: q=mental health": "/opportunities/?q=mental+health",
    "finder: q=befriending": "/opportunities/?q=befriending",
    "finder: kind=grant": "/opportunities/?kind=grant",
    "finder: ward (Armley)": f"/opportunities/?ward={ARMLEY}",
    "finder: value 100k-500k": "/opportunities/?value=100k_500k",
    "finder: small organisations": "/opportunities/?small=on",
    "finder: all, highest value": "/opportunities/?state=all&sort=value",
    "finder: page 50": "/opportunities/?page=50",
    "finder: q + ward + kind": f"/opportunities/?q=advice&ward={ARMLEY}&kind=tender",
    "finder: closing in 14 days": "/opportunities/?closing_before={soon}",
    "API: open, 50 items": "/api/v1/opportunities?limit=50",
    "API: q=mental health": "/api/v1/opportunities?q=mental%20health&limit=50",
    "API: q=befriending": "/api/v1/opportunities?q=befriending&limit=50",
    "API: kind=grant": "/api/v1/opportunities?kind=grant&limit=50",
    "API: ward (Armley)": f"/api/v1/opportunities?ward={ARMLEY}&limit=50",
    "API: value 100k-500k": "/api/v1/opportunities?value_band=100k_500k&limit=50",
    "API: small organisations": "/api/v1/opportunities?small_organisations=true&limit=50",
    "API: all, highest value": "/api/v1/opportunities?state=all&sort=value&limit=50",
    "API: page 50": "/api/v1/opportunities?limit=50&offset=2450",
    "API: q + ward + kind": f"/api/v1/opportunities?q=advice&ward={ARMLEY}&kind=tender&limit=50",
    "API: closing in 14 days": "/api/v1/opportunities?closing_before={soon}&limit=50",
}


def main() -> None:
    setup_test_environment()
    _isolate_database()
    print(f"building a {connection.vendor} database of {OPPORTUNITIES:,} opportunities…")
    old = setup_databases(verbosity=0, interactive=False, keepdb=KEEP)
    try:
        loaded = kept() if KEEP else None
        if loaded is None:
            loaded = seed(OPPORTUNITIES)
        client = Client()
        results = {}
        from commissioning.core import clock

        soon = (clock.today() + timedelta(days=14)).isoformat()
        for label, path in PATHS.items():
            results[label] = measure(client, path.format(soon=soon))
            r = results[label]
            print(
                f"  {label:<32} median {r['median_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   {r['queries']:2d} queries"
            )
        report = {
            "benchmark": "finder",
            "machine": where.machine(),
            "database": where.database(),
            "opportunities": OPPORTUNITIES,
            "loaded": loaded,
            "repeat": REPEAT,
            "target_p95_ms": TARGET_P95_MS,
            "results": results,
        }
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        out = OUT_DIR / f"finder-{connection.vendor}.json"
        out.write_text(json.dumps(report, indent=2) + "\n")
        print()
        print(
            f"{connection.vendor} {report['database']['version']} on {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; {OPPORTUNITIES:,} opportunities, {REPEAT} requests each; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        print(f"{'request':<34}{'median ms':>10}{'p95 ms':>10}{'queries':>9}  {'':4}")
        for label, r in results.items():
            flag = "" if r["p95_ms"] <= TARGET_P95_MS else "SLOW"
            print(f"{label:<34}{r['median_ms']:>10.1f}{r['p95_ms']:>10.1f}{r['queries']:>9}  {flag}")
        print(f"written to {out.relative_to(ROOT)}")
    finally:
        teardown_databases(old, verbosity=0, keepdb=KEEP)


if __name__ == "__main__":
    main()
