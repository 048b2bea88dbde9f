"""Benchmark: the public pipeline, its API and overlap detection over 20,000 plans.

Run (not part of the test suite; `make bench` runs it):

    COMMISSIONING_TESTING=1 .venv/bin/python -m tests.bench.pipeline
    DATABASE_URL=postgres://... COMMISSIONING_TESTING=1 .venv/bin/python -m tests.bench.pipeline

It builds a throwaway database of its own, makes one real plan per commissioning body through the
services, then bulk-loads BENCH_PLANS plans (20,000 unless set) across BENCH_BODIES bodies (12), every
outcome area and ward, advertised over six years, with the overlaps the sweep finds among them (the
first BENCH_OVERLAPS, 5,000, stored as rows so the pages show them). Each page and API list is timed
through Django's test client (BENCH_REPEAT requests after warm-ups), reported as the median and 95th
percentile in milliseconds with the queries each makes; overlap detection is timed the same way, both
the sweep over every plan and the service that brings one plan's overlaps up to date. Results go to
var/bench/pipeline-<vendor>.json with the machine and the database noted. The target is a p95 under
100 ms for the pages and a number of queries that does not grow with the data.
"""

import json
import math
import os
import platform
import random
import statistics
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
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_databases,
    setup_test_environment,
    teardown_databases,  # noqa: E402
)
from django.utils import timezone  # noqa: E402

from tests.bench import report as where  # noqa: E402
from tests.bench.finder import REPEAT, measure  # noqa: E402

PLANS = int(os.environ.get("BENCH_PLANS", "20000"))
BODIES = int(os.environ.get("BENCH_BODIES", "12"))
STORED_OVERLAPS = int(os.environ.get("BENCH_OVERLAPS", "5000"))
BATCH = 1000
TARGET_P95_MS = 100.0
OUT_DIR = ROOT / "var" / "bench"
ARMLEY = "E05011389"


def _isolate_database() -> None:
    test = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        test["NAME"] = str(OUT_DIR / "pipeline-bench.sqlite3")
    else:
        test["NAME"] = f"bench_pipeline_{os.getpid()}"


def _bulk_plans(rng, bodies, commissioner, areas, wards) -> None:
    from commissioning.planning.models import Plan
    from commissioning.records.models import CommissioningRecord

    made = 0
    through = CommissioningRecord.wards.through
    while made < PLANS:
        size = min(BATCH, PLANS - made)
        records, facts = [], []
        for i in range(made, made + size):
            advert = date(2026, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
            start = advert + timedelta(days=rng.randint(60, 200))
            end = start + timedelta(days=rng.randint(180, 730))
            city_wide = rng.random() < 0.03
            records.append(
                CommissioningRecord(
                    reference=f"CR-2099-{i + 1:06d}",
                    title=f"{rng.choice(['Befriending', 'Advice', 'Carers support', 'Youth work'])} {i}",
                    summary="Planned commissioning for the benchmark.",
                    city_wide=city_wide,
                    expected_start=start,
                    expected_end=end,
                    estimated_value=Decimal(rng.randrange(5_000, 900_000, 100)),
                    lead_body_id=bodies[i % len(bodies)].pk,
                    created_by_id=commissioner.pk,
                )
            )
            facts.append((advert, city_wide, rng.sample(wards, rng.randint(1, 3))))
        with transaction.atomic():
            CommissioningRecord.objects.bulk_create(records)
            ids = dict(
                CommissioningRecord.objects.filter(reference__in=[r.reference for r in records]).values_list(
                    "reference", "pk"
                )
            )
            links, plans = [], []
            for record, (advert, city_wide, chosen) in zip(records, facts, strict=True):
                pk = ids[record.reference]
                if not city_wide:
                    links += [through(commissioningrecord_id=pk, ward_id=w) for w in chosen]
                plans.append(
                    Plan(
                        record_id=pk,
                        service_area_id=rng.choice(areas),
                        funding_type=rng.choice(["grant", "contract", "either"]),
                        expected_advert=advert,
                        status=rng.choice(["idea", "planned", "planned", "approved", "advertised"]),
                        contact_name="Bench Contact",
                        contact_email="bench@example.org",
                        published_at=timezone.now() if rng.random() < 0.9 else None,
                    )
                )
            through.objects.bulk_create(links, batch_size=5000)
            Plan.objects.bulk_create(plans, batch_size=2000)
        made += size
        print(f"  loaded {made:,} of {PLANS:,} plans", end="\r", flush=True)


def all_facts():
    """Every plan on the pipeline as overlap facts, read in three queries."""
    from commissioning.planning.services import facts_of, on_the_pipeline

    return list(facts_of(on_the_pipeline()).values())


def seed() -> dict:
    """Real plans through the services, then bulk plans, then the overlaps the sweep finds, some stored."""
    from commissioning.accounts.models import Role
    from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role
    from commissioning.core.models import Ward
    from commissioning.planning.models import Overlap
    from commissioning.planning.overlaps import overlapping_pairs
    from commissioning.planning.tests.factories import plan_for
    from commissioning.records.models import ServiceArea

    rng = random.Random(20261203)
    started = time.perf_counter()
    bodies = [CommissionerOrgFactory() for _ in range(BODIES)]
    commissioner = person_with_role(Role.COMMISSIONER, bodies[0])
    real = plan_for(commissioner, publish=True)
    plan_for(person_with_role(Role.COMMISSIONER, bodies[1]), publish=True)
    areas = list(ServiceArea.objects.values_list("pk", flat=True))
    wards = list(Ward.objects.values_list("pk", flat=True))
    _bulk_plans(rng, bodies, commissioner, areas, wards)
    pairs = sorted(overlapping_pairs(all_facts()))
    now = timezone.now()
    Overlap.objects.bulk_create(
        [Overlap(first_id=a, second_id=b, found_at=now) for a, b in pairs[:STORED_OVERLAPS]],
        batch_size=5000,
        ignore_conflicts=True,
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    seconds = time.perf_counter() - started
    print(f"  loaded {PLANS:,} plans and {len(pairs):,} overlapping pairs in {seconds:.0f} s" + " " * 20)
    return {"seconds": round(seconds, 1), "plans": PLANS, "overlapping_pairs": len(pairs), "real": real}


def timed(label: str, work) -> dict:
    """Time ``work()`` ``REPEAT`` times after one warm-up; count the queries of one run."""
    work()
    with CaptureQueriesContext(connection) as queries:
        work()
    samples = []
    for _ in range(max(5, REPEAT // 3)):
        start = time.perf_counter()
        work()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {
        "what": label,
        "median_ms": round(statistics.median(samples), 1),
        "p95_ms": round(samples[max(0, math.ceil(0.95 * len(samples)) - 1)], 1),
        "min_ms": round(samples[0], 1),
        "queries": len(queries.captured_queries),
    }


PATHS = {
    "home page (baseline)": "/",
    "pipeline: first page": "/pipeline/",
    "pipeline: carers' support in Armley": f"/pipeline/?area=carers-support&ward={ARMLEY}",
    "pipeline: q=advice, contracts": "/pipeline/?q=advice&funding=contract",
    "pipeline: page 50": "/pipeline/?page=50",
    "pipeline: timeline": "/pipeline/timeline/",
    "pipeline: a plan": "/pipeline/CR-2099-000100/",
    "API: pipeline, 50 items": "/api/v1/pipeline?limit=50",
    "API: pipeline, offset 5000": "/api/v1/pipeline?limit=50&offset=5000",
}


def main() -> None:
    from commissioning.planning import services
    from commissioning.planning.overlaps import overlapping_pairs

    setup_test_environment()
    _isolate_database()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    print(f"building a {connection.vendor} database of {PLANS:,} plans…")
    old = setup_databases(verbosity=0, interactive=False)
    try:
        loaded = seed()
        client = Client()
        results = {}
        for label, path in PATHS.items():
            results[label] = measure(client, path)
        facts = all_facts()
        results["overlaps: sweep over every plan (facts in memory)"] = timed("sweep", lambda: overlapping_pairs(facts))
        results["overlaps: read every plan's facts"] = timed("facts", all_facts)

        def refresh():
            with transaction.atomic():
                services.overlaps_refresh(plan=loaded["real"])

        results["overlaps: one plan brought up to date (service)"] = timed("refresh", refresh)
        baseline = results["home page (baseline)"]["median_ms"] or 1
        for r in results.values():
            r["ratio_to_home_page"] = round(r["median_ms"] / baseline, 1)
        report = {
            "benchmark": "pipeline",
            "machine": where.machine(load_average_at_start=load_at_start),
            "database": where.database(),
            "loaded": {k: v for k, v in loaded.items() if k != "real"},
            "target_p95_ms": TARGET_P95_MS,
            "results": results,
        }
        out = OUT_DIR / f"pipeline-{connection.vendor}.json"
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(report, indent=2, default=str) + "\n")
        print()
        print(
            f"{connection.vendor} {report['database']['version']} on {platform.machine()}, {os.cpu_count()} cores; "
            f"{PLANS:,} plans, {loaded['overlapping_pairs']:,} overlapping pairs; load average "
            f"{load_at_start[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end"
        )
        print(f"{'request':<54}{'median ms':>10}{'p95 ms':>10}{'queries':>9}{'x home':>8}")
        for label, r in results.items():
            flag = "" if r["p95_ms"] <= TARGET_P95_MS or label.startswith("overlaps") else "  SLOW"
            print(
                f"{label:<54}{r['median_ms']:>10.1f}{r['p95_ms']:>10.1f}{r['queries']:>9}"
                f"{r['ratio_to_home_page']:>8}{flag}"
            )
        print(f"written to {out.relative_to(ROOT)}")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
