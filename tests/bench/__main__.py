"""Benchmarks, run by `make bench` (not part of the test suite).

directory: the public provider directory and the API list with thousands of
providers, against the home page as a baseline. Results are medians over
repeated requests through Django's test client, reported as milliseconds with
the machine noted, and as ratios to the baseline (which travel between
machines better than raw times).
"""

import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.config.settings")
os.environ.setdefault("COMMISSIONING_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, setup_test_environment, teardown_databases  # noqa: E402

PROVIDERS = int(os.environ.get("BENCH_PROVIDERS", "3000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))


def seed(n: int) -> None:
    from decimal import Decimal

    from commissioning.accounts.models import Organisation, OrganisationIdentifier
    from commissioning.core.models import Ward

    wards = list(Ward.objects.all())
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bench Provider {i:05d}",
                slug=f"bench-provider-{i:05d}",
                side="provider",
                legal_form="registered_charity",
                status="verified",
                address_line_1="1 Road",
                postcode="LS1 1AA",
                latest_income=Decimal(1000 * (i % 5000)),
                description="Community support and advice " * 3,
            )
            for i in range(n)
        ]
    )
    OrganisationIdentifier.objects.bulk_create(
        [
            OrganisationIdentifier(organisation=o, scheme="GB-CHC", value=str(1_000_000 + i), is_primary=True)
            for i, o in enumerate(orgs)
        ]
    )
    through = Organisation.wards.through
    through.objects.bulk_create(
        [through(organisation_id=o.pk, ward_id=wards[i % len(wards)].pk) for i, o in enumerate(orgs)]
    )


def median_ms(client: Client, path: str) -> float:
    client.get(path)  # warm
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(samples)


def main() -> None:
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        seed(PROVIDERS)
        client = Client()
        paths = {
            "home page (baseline)": "/",
            "directory, first page": "/organisations/",
            "directory, search": "/organisations/?q=00123",
            "directory, ward + size filter": "/organisations/?ward=E05011389&size=small",
            "directory, page 100": "/organisations/?page=100",
            "API list, 50 items": "/api/v1/organisations?limit=50",
            "API list, size filter": "/api/v1/organisations?size_band=medium&limit=50",
        }
        results = {label: median_ms(client, path) for label, path in paths.items()}
        base = results["home page (baseline)"]
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"database: {connection.vendor}; {PROVIDERS} providers, median of {REPEAT} requests"
        )
        for label, ms in results.items():
            print(f"  {label:<32} {ms:8.1f} ms   {ms / base:5.1f}x baseline")
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
