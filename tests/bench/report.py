"""What every benchmark's results file says about where it ran: the machine and the database."""

import os
import platform

import django
from django.db import connection


def machine(**load_averages) -> dict:
    """The machine, Python and Django; ``load_averages`` add named readings to the end-of-run one,
    because other work on the machine shows in the 95th percentiles first."""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "django": django.get_version(),
        **load_averages,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def database() -> dict:
    """The database vendor and its version."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0]
    else:
        import sqlite3

        version = sqlite3.sqlite_version
    return {"vendor": connection.vendor, "version": version}
