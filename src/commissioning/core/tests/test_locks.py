"""A row lock that joins other tables names the tables it locks.

PostgreSQL refuses ``SELECT … FOR UPDATE`` over the nullable side of an outer
join, and SQLite ignores the lock, so a ``select_for_update()`` chained with a
``select_related()`` across a nullable relation passes every test on SQLite and
fails on PostgreSQL. Naming the locked tables with ``of=`` closes the class:
the rows joined only to be read are left unlocked, and the rows meant to be
locked are written down.
"""

import ast
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2]


def _chain(node: ast.AST) -> list[ast.Call]:
    """The method calls of one expression like ``Model.objects.a().b().c()``, outermost first."""
    calls = []
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            calls.append(node)
            node = node.func
        else:
            node = node.value
    return calls


def _name(call: ast.Call) -> str | None:
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def unnamed_joined_locks(source: str) -> list[int]:
    """The lines where a locked query joins related rows without saying which it locks."""
    lines = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        calls = _chain(node)
        names = [_name(call) for call in calls]
        if "select_for_update" in names and "select_related" in names:
            lock = calls[names.index("select_for_update")]
            if not any(keyword.arg == "of" for keyword in lock.keywords):
                lines.add(lock.lineno)
    return sorted(lines)


def test_the_predicate_finds_an_unnamed_lock_over_a_join_and_passes_a_named_one():
    assert unnamed_joined_locks("Return.objects.select_for_update().select_related('agreement').get(pk=1)") == [1]
    assert unnamed_joined_locks("Return.objects.select_related('agreement').select_for_update().get(pk=1)") == [1]
    assert unnamed_joined_locks("Return.objects.select_for_update(of=('self',)).select_related('a').get(pk=1)") == []
    assert unnamed_joined_locks("Return.objects.select_for_update().get(pk=1)") == []


def test_every_lock_that_joins_related_rows_names_the_rows_it_locks():
    offences = []
    for path in sorted(SOURCE.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for line in unnamed_joined_locks(path.read_text(encoding="utf-8")):
            offences.append(f"{path.relative_to(SOURCE)}:{line}")
    assert offences == []
