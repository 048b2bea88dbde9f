"""Migration tests move the database back to an app's earlier state and forward again.

Moving an app back also unapplies every later app that depends on it (a later stage's tables
go), so each test ends by migrating every app to its latest state: the tests after it find
the whole schema, whichever stages have been added since the migration test was written.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(targets):
    """Migrate to ``targets`` and return the historical apps there."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest() -> None:
    """Migrate every app to its latest migration."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def back_to_latest():
    """After the test, every app at its latest migration again."""
    yield
    migrate_to_latest()
