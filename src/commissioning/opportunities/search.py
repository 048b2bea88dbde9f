"""Full-text search of opportunities: PostgreSQL's text search, or SQLite's FTS5.

The index is kept by the database itself (a generated tsvector column with a
GIN index on PostgreSQL; an FTS5 table kept in step by triggers on SQLite;
both made by migration 0003), so no code can forget to update it.
:func:`matching` turns what someone typed into a safe condition for either.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)
# A reference typed whole ("LCH-2026-0002"). PostgreSQL's parser reads "-2026" in it as a signed
# number, so its words would not match: a reference is found by itself, on either database.
_REFERENCE = re.compile(r"^[A-Za-z]+(-[0-9]+)+$")


def _terms(text: str) -> list[str]:
    return _WORD.findall(text.lower())[:12]


def matching(text: str) -> Q:
    """A condition on opportunities matching every word of ``text`` (prefixes allowed), or the one
    whose reference it is.

    On PostgreSQL it tests the row's own search column, so the planner can
    combine the GIN index with the finder's other filters; on SQLite it asks the
    FTS5 table for the matching ids.
    """
    if _REFERENCE.match(text.strip()):
        return Q(reference__iexact=text.strip())
    terms = _terms(text)
    if not terms:
        return Q()
    if connection.vendor == "postgresql":
        query = " & ".join(f"{term}:*" for term in terms)
        condition = RawSQL("search_document @@ to_tsquery('english', %s)", [query], output_field=BooleanField())
        return Q(condition)
    # FTS5: each word quoted (so nothing typed is read as syntax) and matched as a prefix.
    query = " ".join(f'"{term}"*' for term in terms)
    return Q(pk__in=RawSQL("SELECT rowid FROM opportunities_search WHERE opportunities_search MATCH %s", [query]))
