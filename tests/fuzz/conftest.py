"""One world for every fuzzed page and endpoint, built once and never changed.

It is the permission matrix's world (its fixture and helpers, reused), with every
stage it builds: a draft, a published opportunity with a bid, an opened one, one at
moderation, an awarded one and one whose letters are sent. Each fuzzed request runs
in a savepoint that is rolled back, so whatever one example does, the next starts
from the same rows, and a snapshot taken once tells whether a refused post changed any.
"""

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from tests.access import test_permission_matrix as matrix


@pytest.fixture(scope="package")
def fuzz_world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("fuzz-media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media), EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = matrix.world.__wrapped__(db=None, settings=SimpleNamespace(), tmp_path=media)
            world.update(matrix._opened(world))
            world.update(matrix._evaluated(world, award=False))
            world.update(matrix._lettered(world))
            world.update(matrix._agreed(world))
            world.update(matrix._shared(world))
            world.update(matrix._needs(world))  # needs: assessments
            world.update(matrix._reviewed(world))
            world.update(matrix._planned(world))
            # The lettered opportunity is awarded too: one evaluation less to build.
            world["awarded"] = world["lettered"]
            world["token_row"] = world["people"]["provider_admin"].api_tokens.first().pk
            # One signed-in browser per role, for every test: their sessions are part of the world.
            world["clients"] = {}
            for role, user in world["people"].items():
                client = Client()
                if user is not None:
                    client.force_login(user)
                world["clients"][role] = client
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def fuzz(fuzz_world, db):
    """The world, inside the test's own transaction (the fuzz modules are marked ``django_db``)."""
    return fuzz_world


def fill(path: str, world: dict) -> str:
    """A matrix path template with the world's objects filled in."""
    return path.format(
        verified=world["provider"].slug,
        pending=world["pending"].slug,
        token=world["token_row"],
        **{k: str(v) for k, v in world.items() if not isinstance(v, dict) and not hasattr(v, "_meta")},
    )
