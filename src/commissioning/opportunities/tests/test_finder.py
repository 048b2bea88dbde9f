"""The public finder, the opportunity page and the Atom feed."""

import html
from datetime import timedelta
from decimal import Decimal
from xml.etree import ElementTree

import pytest
import time_machine

from commissioning.opportunities import services
from commissioning.records.models import ServiceArea

from .factories import commissioner_at, draft, published

pytestmark = pytest.mark.django_db


def titles(response) -> str:
    return response.content.decode()


def test_drafts_are_not_public_but_their_commissioners_see_them(client):
    commissioner = commissioner_at()
    opportunity = draft(commissioner, title="Secret draft")
    assert "Secret draft" not in titles(client.get("/opportunities/?state=all"))
    assert client.get(f"/opportunities/{opportunity.reference}/").status_code == 404
    client.force_login(commissioner_at())
    assert client.get(f"/opportunities/{opportunity.reference}/").status_code == 404
    client.force_login(commissioner)
    assert client.get(f"/opportunities/{opportunity.reference}/").status_code == 200


def test_the_finder_searches_full_text_and_filters(client):
    published(
        title="Befriending for older people in Wetherby",
        value=Decimal(20_000),
        lots=1,
        questions=[
            {"kind": "quality", "text": "Q", "word_limit": 200, "weight": Decimal(60)},
            {"kind": "social_value", "text": "SV", "word_limit": 200, "weight": Decimal(10)},
        ],
    )
    published(title="Youth mentoring in Beeston", kind="grant", value=Decimal(60_000))
    transport = ServiceArea.objects.get(slug="community-transport")
    published(title="Accessible transport across Leeds", service_area=transport, value=Decimal(90_000), city_wide=True)

    assert "Befriending" in titles(client.get("/opportunities/?q=befriend"))  # a prefix matches
    body = titles(client.get("/opportunities/?q=mentoring+beeston"))
    assert "Youth mentoring" in body and "Befriending" not in body
    body = titles(client.get("/opportunities/?kind=grant"))
    assert "Youth mentoring" in body and "Accessible transport" not in body
    body = titles(client.get("/opportunities/?area=community-transport"))
    assert "Accessible transport" in body and "Youth mentoring" not in body
    body = titles(client.get("/opportunities/?value=up_to_25k"))
    assert "Befriending" in body and "Accessible transport" not in body
    body = titles(client.get("/opportunities/?small=on"))
    assert "Befriending" in body
    # a city-wide opportunity shows for any ward
    assert "Accessible transport" in titles(client.get("/opportunities/?ward=E05011418"))


def test_small_organisations_see_opportunities_with_a_lot_they_could_take_on(client):
    # Three lots of £60,000: each is within reach of a small organisation.
    split = published(title="Neighbourhood networks in three lots", value=Decimal(180_000), lots=3)
    # One lot of £150,000: too big for a small organisation.
    whole = published(title="Citywide advice in one lot", value=Decimal(150_000), lots=1)
    grant = published(title="Small grants for allotments", kind="grant", value=Decimal(40_000), lots=1)
    assert split.smallest_lot_value == Decimal(60_000)
    assert whole.smallest_lot_value == Decimal(150_000)
    assert grant.smallest_lot_value == Decimal(40_000)

    body = titles(client.get("/opportunities/?small=on"))
    assert "Neighbourhood networks" in body
    assert "Small grants for allotments" in body
    assert "Citywide advice" not in body
    assert "Citywide advice" in titles(client.get("/opportunities/"))


def test_drafts_record_no_smallest_lot_until_published():
    assert draft(commissioner_at(), lots=2).smallest_lot_value is None


def test_search_text_is_never_read_as_query_syntax(client):
    advice, other = published(title="Advice services"), published(title="Befriending")
    for text in ['"', "advice OR", "NEAR(", "*", "a:b", "-", "advice AND NOT", "'); DROP TABLE x; --"]:
        response = client.get("/opportunities/", {"q": text})
        assert response.status_code == 200, text
        page = response.content.decode()
        assert "Find work and funding" in page and 'role="status"' in page, text
    # "OR" and "NOT" are words, not operators: they never widen the search to what does not match
    # "advice". (Whether a word like "or" must appear too differs: PostgreSQL's English search leaves
    # such common words out, SQLite's looks for them.)
    for text in ("advice OR", "advice AND NOT", "advice OR befriending"):
        assert f"/opportunities/{other.reference}/" not in client.get("/opportunities/", {"q": text}).content.decode()
    assert f"/opportunities/{advice.reference}/" in client.get("/opportunities/", {"q": "advice"}).content.decode()


def test_an_opportunity_is_found_by_its_reference_typed_whole_on_either_database(client):
    wanted, other = published(title="Advice services"), published(title="Befriending")
    for typed in (wanted.reference, wanted.reference.lower(), f"  {wanted.reference} "):
        page = client.get("/opportunities/", {"q": typed}).content.decode()
        assert f"/opportunities/{wanted.reference}/" in page and f"/opportunities/{other.reference}/" not in page


def test_closed_opportunities_list_the_most_recently_closed_first(client):
    earlier = published(title="Closed first")
    later = published(title="Closed second")
    services.opportunity_amend(
        actor=later.created_by,
        opportunity=later,
        changes={"submission_deadline": later.submission_deadline + timedelta(days=2)},
        summary="Two more days",
        material=False,
    )
    later.refresh_from_db()
    with time_machine.travel(later.submission_deadline + timedelta(minutes=1)):
        body = titles(client.get("/opportunities/?state=closed"))
        assert body.index("Closed second") < body.index("Closed first")
        body = titles(client.get("/opportunities/?state=all"))
        assert body.index("Closed first") < body.index("Closed second")
    assert earlier.submission_deadline < later.submission_deadline


def test_closed_opportunities_show_when_asked(client):
    opportunity = published(title="Carers breaks")
    with time_machine.travel(opportunity.submission_deadline + timedelta(minutes=1)):
        assert "Carers breaks" not in titles(client.get("/opportunities/"))
        assert "Carers breaks" in titles(client.get("/opportunities/?state=closed"))


def test_the_search_index_and_finder_indexes_survive_every_migration():
    """Made in SQL, they are invisible to Django: a migration that rebuilt the table would drop them."""
    from importlib import import_module

    from django.db import connection

    indexes = import_module("commissioning.opportunities.migrations.0004_finder_indexes")

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name FROM sqlite_master WHERE tbl_name LIKE 'opportunities_%'")
        else:
            cursor.execute(
                "SELECT 'index', indexname FROM pg_indexes WHERE tablename LIKE 'opportunities_%' "
                "UNION ALL SELECT 'column', column_name FROM information_schema.columns "
                "WHERE table_name = 'opportunities_opportunity'"
            )
        present = {name for _, name in cursor.fetchall()}
    assert set(indexes.INDEXES) <= present
    if connection.vendor == "sqlite":
        assert {"opportunities_search_insert", "opportunities_search_update", "opportunities_search_delete"} <= present
    else:
        assert "search_document" in present


def test_a_published_opportunity_is_found_by_a_word_added_by_amendment(client):
    opportunity = published(title="Carers breaks")
    services.opportunity_amend(
        actor=opportunity.created_by,
        opportunity=opportunity,
        changes={"summary": "Short breaks with a hydrotherapy pool"},
        summary="The summary names the pool",
        material=False,
    )
    assert "Carers breaks" in titles(client.get("/opportunities/?q=hydrotherapy"))


def test_the_finder_costs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    commissioner = commissioner_at()
    for n in range(8):
        published(commissioner, title=f"Opportunity {n}", lots=1)
    with django_assert_max_num_queries(10):
        response = client.get("/opportunities/?state=all")
    assert response.status_code == 200


def test_the_opportunity_page_shows_how_it_applies_the_code(client):
    from .factories import explain

    commissioner = commissioner_at()
    opportunity = draft(commissioner, social_value_ambitions_referenced=False)
    confirmed = explain(commissioner, opportunity, "PR-4", reason="The grant funds social value directly")
    services.opportunity_publish(actor=commissioner, opportunity=opportunity)
    page = titles(client.get(f"/opportunities/{opportunity.reference}/"))
    assert "How this opportunity applies the Code" in page
    confirmer = confirmed.explanation.decided_by
    assert "The grant funds social value directly" in page and f"confirmed by {confirmer.full_name}" in html.unescape(
        page
    )


def test_the_atom_feed_lists_what_the_finder_shows(client):
    published(title="Youth mentoring in Beeston", kind="grant")
    published(title="Advice services")
    response = client.get("/opportunities/feed.atom?kind=grant")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = [e.find("a:title", ns).text for e in root.findall("a:entry", ns)]
    assert len(entries) == 1 and entries[0].startswith("Youth mentoring in Beeston")
    assert len(ElementTree.fromstring(client.get("/opportunities/feed.atom").content).findall("a:entry", ns)) == 2


def test_nonsense_finder_parameters_still_answer(client):
    listed = published(title="Advice services")
    response = client.get("/opportunities/?closing_before=31/02/2026&value=huge&state=x&sort=y&page=abc&ward=zz")
    assert response.status_code == 200
    page = response.content.decode()
    # The nonsense is shown as a problem with the filters, not a crash, and the finder still lists.
    assert "Find work and funding" in page and 'role="status"' in page
    assert f"/opportunities/{listed.reference}/" in page


# The filter panel, the selected filters and "Clear filters" ------------------------------------------


def _tags(body: str) -> dict[str, str]:
    """Each selected-filter tag's words, mapped to the link that removes it."""
    import html
    import re

    found = re.findall(
        r'<a class="app-filter-tag" href="([^"]*)">'
        r'<span class="govuk-visually-hidden">Remove this filter: </span>([^<]*)</a>',
        body,
    )
    return {html.unescape(words): html.unescape(href) for href, words in found}


def test_the_filters_are_a_panel_a_phone_keeps_closed_behind_show_filters(client):
    body = titles(client.get("/opportunities/"))
    panel = body[body.index('<details class="app-filter"') :]
    assert " open" not in panel[: panel.index(">")]  # closed until opened (or a wide screen opens it)
    assert "Show filters" in panel[: panel.index("</summary>")]
    assert panel.index("</summary>") < panel.index('role="search"') < panel.index("</details>")
    assert "Selected filters" not in body and "Clear filters" not in body  # nothing is applied yet


def test_each_selected_filter_is_a_tag_that_removes_it_and_clear_filters_keeps_the_sort(client):
    published(title="Youth mentoring in Beeston", kind="grant", value=Decimal(20_000))
    query = "q=mentoring&kind=grant&state=all&value=up_to_25k&small=on&sort=value&page=1"
    body = titles(client.get(f"/opportunities/?{query}"))
    tags = _tags(body)
    assert set(tags) == {
        "Search: mentoring",
        "Show: Open and closed",
        "Type: Grant round",
        "Value: Up to £25,000",
        "Suitable for small organisations",
    }, tags
    # Removing one keeps the others and the sort, and starts again at the first page.
    assert tags["Type: Grant round"] == "/opportunities/?q=mentoring&state=all&value=up_to_25k&small=on&sort=value"
    assert "Selected filters" in body
    assert 'href="/opportunities/?sort=value">Clear filters</a>' in body
    assert "Youth mentoring" in titles(client.get(tags["Type: Grant round"]))


def test_defaults_and_values_that_do_not_filter_are_not_tags(client):
    # "Open" is what the finder shows anyway; a date it cannot read is ignored, so it is no filter either.
    body = titles(client.get("/opportunities/?state=open&closing_before=31/02/2027&kind=&sort=newest"))
    assert _tags(body) == {}
    assert "Clear filters" not in body
    body = titles(client.get("/opportunities/?closing_before=01/03/2027"))
    assert _tags(body) == {"Closing on or before: 1 March 2027": "/opportunities/"}


def test_a_search_with_no_results_offers_to_clear_the_filters(client):
    body = titles(client.get("/opportunities/?q=nothingmatchesthis&kind=grant"))
    assert "No opportunities match" in body and ">clear the filters</a>" in body
