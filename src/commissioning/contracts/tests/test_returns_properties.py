"""Properties of a return's checks, small-number suppression and the charts, for any input."""

import xml.etree.ElementTree as ET
from decimal import Decimal
from types import SimpleNamespace

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from commissioning.core.charts import ChartRow, bar_chart, shown_with_unit
from commissioning.core.geography import leeds_wards

from .. import returns
from ..models import Breakdown
from ..suppression import suppressed, threshold

SVG = "{http://www.w3.org/2000/svg}"
WARDS = [w.code for w in leeds_wards()]


def plain_agreement(breakdowns=(Breakdown.WARD, Breakdown.CHARACTERISTIC, Breakdown.COMMUNITY)):
    """What the checks read of an agreement, with no KPIs and no spend: no database needed."""
    return SimpleNamespace(measures=SimpleNamespace(all=list), breakdowns=list(breakdowns), spend_reported=False)


@given(st.text(max_size=20))
def test_a_count_is_only_ever_a_whole_number_zero_or_more(text):
    value = returns._count(text)
    if value is not None:
        assert value >= 0 and text.strip().replace(",", "").isdigit()


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_every_whole_number_typed_is_read_back(n):
    assert returns._count(str(n)) == n and returns._count(f"{n:,}") == n


@given(
    st.dictionaries(st.sampled_from(WARDS), st.integers(min_value=0, max_value=1000), max_size=6),
    st.integers(min_value=0, max_value=6000),
    st.booleans(),
)
def test_wards_are_accepted_exactly_when_they_add_up_or_are_explained(wards, people, explain):
    agreement = plain_agreement([Breakdown.WARD])
    data = {"narrative": "What happened", "people_reached": str(people)}
    data |= {f"ward_{code}": str(n) for code, n in wards.items()}
    if explain:
        data["mismatch_explanation"] = "Some people gave no address"
    figures, errors = returns.checked(agreement, data)
    adds_up = sum(wards.values()) == people
    assert (figures is not None) == (adds_up or explain)
    if figures is not None:
        assert figures.breakdowns["ward"] == wards and figures.people_reached == people
    else:
        assert list(errors) == ["mismatch_explanation"]


@given(st.sampled_from(WARDS), st.one_of(st.integers(max_value=-1).map(str), st.text(min_size=1, max_size=8)))
def test_anything_but_a_whole_count_is_refused_on_its_own_field(code, bad):
    if returns._count(bad) is not None or not bad.strip():
        return
    figures, errors = returns.checked(plain_agreement(), {"narrative": "x", "people_reached": "3", f"ward_{code}": bad})
    assert figures is None and f"ward_{code}" in errors


@given(st.integers(min_value=0, max_value=10**7))
def test_with_the_setting_suppression_hides_one_to_four_and_shows_zero(count):
    with override_settings(CONTRACTS={"suppress_below": 5}):
        assert threshold() == 5
        shown = suppressed(count)
    assert shown == ("fewer than 5" if 1 <= count <= 4 else f"{count:,}")
    assert suppressed(0, 10) == "0"


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=50))
def test_a_suppressed_figure_never_says_the_number(count, below):
    shown = suppressed(count, below)
    if 0 < count < below:
        assert str(count) not in shown.replace(str(below), "")


labels = st.text(min_size=1, max_size=50).filter(lambda s: s.isprintable())


@given(
    st.lists(st.tuples(labels, st.integers(min_value=-(10**6), max_value=10**6)), max_size=12),
    labels,
    st.sampled_from(["", "£", "%", "people"]),
)
def test_a_chart_is_well_formed_svg_with_its_title_description_and_a_bar_per_row(rows, title, unit):
    svg = ET.fromstring(str(bar_chart(rows, title=title, unit=unit)))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == title
    description = svg.find(f"{SVG}desc").text
    assert all(shown_with_unit(value, unit) in description for _, value in rows)
    assert len(svg.findall(f"{SVG}rect")) == len(rows)
    widths = [int(rect.get("width")) for rect in svg.findall(f"{SVG}rect")]
    assert all(0 <= w <= 300 for w in widths)
    assert [w == 0 for w in widths] == [value == 0 for _, value in rows]


def test_chart_rows_keep_the_figure_they_are_given():
    svg = str(bar_chart([ChartRow("Armley", 3, "fewer than 5")], title="Wards", description="Wards: Armley"))
    assert "fewer than 5" in svg and "<desc" in svg
    assert shown_with_unit(Decimal("-1250.5"), "£") == "-£1,250.50"
