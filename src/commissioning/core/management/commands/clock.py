"""Apply every time-driven side effect that is due; safe to run again at any moment.

Run it from cron or a timer (``bin/serve`` runs it every 5 minutes with
``--every 300``). Each job remembers what it did, so running the command
twice, or two copies at once, sends nothing twice.
"""

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from commissioning.core.chronograph import clock_jobs, run_due


class Command(BaseCommand):
    help = "Apply due time-driven side effects (reminders, and later notices). Safe to repeat."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="Keep running, once every this many seconds")
        parser.add_argument("--job", action="append", default=[], help="Run only this job (may repeat)")
        parser.add_argument("--list", dest="list_jobs", action="store_true", help="List the jobs and stop")

    def handle(self, *args, every=0, job=(), list_jobs=False, **options):
        jobs = clock_jobs()
        if list_jobs:
            for each in jobs:
                self.stdout.write(f"{each.name}: {each.description}")
            return
        unknown = set(job) - {each.name for each in jobs}
        if unknown:
            raise CommandError(f"Unknown job: {', '.join(sorted(unknown))}")
        if every <= 0:
            if not self._tick(job):
                raise CommandError("A clock job failed; see the log")
            return
        stopping = []
        for stop in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stop, lambda *_: stopping.append(True))
        while not stopping:
            self._tick(job)
            close_old_connections()
            # Sleep in short steps so a stop request is answered at once.
            for _ in range(every):
                if stopping:
                    break
                time.sleep(1)

    def _tick(self, only) -> bool:
        applied = run_due(only=list(only) or None)
        for name, count in applied.items():
            if count:
                self.stdout.write(f"{name}: {'failed' if count < 0 else count}")
        return all(count >= 0 for count in applied.values())
