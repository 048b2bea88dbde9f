"""Full-text search of opportunities: PostgreSQL's text search, or SQLite's FTS5.

The index is kept by the database itself (a generated tsvector column with a
GIN index on PostgreSQL; an FTS5 table kept in step by triggers on SQLite;
both made by migration 0003), so no code can forget to update it.
:func:`matching` turns what someone typed into a safe query for either.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

_WORD = re.compile(r"\w+", re.UNICODE)


def _terms(text: str) -> list[str]:
    return _WORD.findall(text.lower())[:12]


def matching(text: str) -> RawSQL:
    """A subquery of the ids of opportunities matching every word of ``text`` (prefixes allowed)."""
    terms = _terms(text)
    if not terms:
        return RawSQL("SELECT id FROM opportunities_opportunity", [])
    if connection.vendor == "postgresql":
        query = " & ".join(f"{term}:*" for term in terms)
        return RawSQL(
            "SELECT id FROM opportunities_opportunity WHERE search_document @@ to_tsquery('english', %s)",
            [query],
        )
    # FTS5: each word quoted (so nothing typed is read as syntax) and matched as a prefix.
    query = " ".join(f'"{term}"*' for term in terms)
    return RawSQL("SELECT rowid FROM opportunities_search WHERE opportunities_search MATCH %s", [query])
