import re
from decimal import Decimal
from pathlib import Path

import pytest

from commissioning.practice import catalogue
from commissioning.practice.catalogue import SettingValueError

# The Code as approved, kept beside the project (as the open-data standards are).
CODE_TEXT = (
    Path(__file__).resolve().parents[4].parent / "shared" / "seed" / "leeds-commissioning-code-of-practice.txt"
).read_text()


def _plain(text: str) -> str:
    # The source marks emphasis with asterisks; the catalogue leaves them out.
    return re.sub(r"\s+", " ", text.replace("*", "")).strip()


EXPECTED_CODES = [
    "NA-1",
    "NA-2",
    "NA-3",
    "PL-1",
    "PL-2",
    "PL-3",
    "PL-4",
    "PR-1",
    "PR-2",
    "PR-3",
    "PR-4",
    "PR-5",
    "PR-6",
    "PR-7",
    "PR-8",
    "PR-9",
    "PR-10",
    "PR-11",
    "CM-1",
    "CM-2",
    "CM-3",
    "CM-4",
    "CM-5",
    "CM-6",
    "DC-1",
    "DC-2",
    "RV-1",
]


def test_the_catalogue_has_exactly_the_27_rules_in_order():
    assert list(catalogue.RULE_CODES) == EXPECTED_CODES


def test_the_catalogue_has_the_12_principles_numbered_1_to_12():
    assert [p.number for p in catalogue.PRINCIPLES] == list(range(1, 13))


@pytest.mark.parametrize("principle", catalogue.PRINCIPLES, ids=lambda p: str(p.number))
def test_each_principle_is_the_codes_text_word_for_word(principle):
    plain = _plain(CODE_TEXT)
    assert principle.text in plain
    assert f"{principle.number}. {principle.title}" in plain


@pytest.mark.parametrize("rule", catalogue.RULES, ids=lambda r: r.code)
def test_each_rule_quotes_the_code(rule):
    assert _plain(rule.code_text) in _plain(CODE_TEXT)


@pytest.mark.parametrize("rule", catalogue.RULES, ids=lambda r: r.code)
def test_each_rule_has_a_known_stage_step_and_principles(rule):
    assert rule.stage in catalogue.STAGE_LABELS
    assert rule.guards_step is None or rule.guards_step in catalogue.STEPS
    assert set(rule.principles) <= set(range(1, 13))
    assert rule.title and rule.check_text


def test_every_stage_has_rules_and_every_step_is_guarded():
    assert {r.stage for r in catalogue.RULES} == set(catalogue.STAGE_LABELS)
    assert {r.guards_step for r in catalogue.RULES} - {None} == set(catalogue.STEPS)


def test_value_for_money_is_served_by_the_quality_weight_and_coproduction_by_involvement():
    assert 10 in catalogue.rule_definition("PR-5").principles
    assert 3 in catalogue.rule_definition("NA-3").principles


@pytest.mark.parametrize(
    ("code", "key", "default"),
    [
        ("PL-3", "lead_days_below_threshold", 15),
        ("PL-3", "lead_days_above_threshold", 25),
        ("PL-3", "lead_value_threshold", Decimal("100000")),
        ("PL-3", "mobilisation_days", 20),
        ("PR-3", "lots_consider_above_value", Decimal("500000")),
        ("PR-4", "min_social_value_weight", 10),
        ("PR-5", "min_quality_weight", 60),
        ("PR-7", "max_questions_up_to_25k", 5),
        ("PR-7", "max_questions_25k_100k", 8),
        ("PR-7", "max_questions_100k_500k", 12),
        ("PR-7", "max_questions_above_500k", 20),
        ("PR-7", "max_words_per_answer", 1000),
        ("PR-9", "survey_working_days", 10),
        ("PR-10", "feedback_working_days", 5),
        ("CM-1", "light_tier_up_to", Decimal("25000")),
        ("CM-1", "standard_tier_up_to", Decimal("250000")),
        ("CM-5", "notice_months", 6),
        ("DC-2", "notice_months", 6),
        ("NA-2", "comment_days", 28),
        ("PL-2", "options_at_least", 2),
    ],
)
def test_settings_default_to_leeds_values(code, key, default):
    assert catalogue.rule_definition(code).setting(key).default == default


def test_rules_without_numbers_have_no_settings():
    with_settings = {r.code for r in catalogue.RULES if r.settings}
    assert with_settings == {
        "NA-2",
        "PL-2",
        "PL-3",
        "PR-3",
        "PR-4",
        "PR-5",
        "PR-7",
        "PR-9",
        "PR-10",
        "CM-1",
        "CM-5",
        "DC-2",
    }


def test_a_setting_is_described_in_plain_words():
    pl3 = catalogue.rule_definition("PL-3")
    assert pl3.setting("lead_days_below_threshold").describe(15) == "15 working days"
    assert pl3.setting("lead_days_below_threshold").describe(1) == "1 working day"
    assert pl3.setting("lead_value_threshold").describe(Decimal("100000")) == "£100,000"
    assert catalogue.rule_definition("PR-5").setting("min_quality_weight").describe(60) == "60%"
    assert catalogue.rule_definition("CM-5").setting("notice_months").describe(6) == "6 months"
    assert catalogue.rule_definition("NA-2").setting("comment_days").describe(28) == "28 days"
    assert catalogue.rule_definition("PL-2").setting("options_at_least").describe(1) == "1 option"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("60", 60), (" 70 ", 70), ("75%", 75), (0, 0), (100, 100)],
)
def test_a_percentage_parses_to_a_whole_number(raw, expected):
    assert catalogue.rule_definition("PR-5").setting("min_quality_weight").parse(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Enter the least weight given to quality"),
        ("sixty", "Least weight given to quality must be a whole number"),
        ("60.5", "Least weight given to quality must be a whole number"),
        ("-1", "Least weight given to quality must be 0% or more"),
        ("101", "Least weight given to quality must be 100% or less"),
        (True, "Enter the least weight given to quality"),
    ],
)
def test_a_bad_percentage_is_refused_with_a_message(raw, message):
    with pytest.raises(SettingValueError) as refused:
        catalogue.rule_definition("PR-5").setting("min_quality_weight").parse(raw)
    assert str(refused.value) == message


def test_money_parses_exactly_and_refuses_fractions_of_a_penny():
    threshold = catalogue.rule_definition("PL-3").setting("lead_value_threshold")
    assert threshold.parse("£150,000.50") == Decimal("150000.50")
    assert threshold.stored(Decimal("150000.5")) == "150000.50"
    with pytest.raises(SettingValueError, match="no more than 2 decimal places"):
        threshold.parse("1.001")
    with pytest.raises(SettingValueError, match="£0 or more"):
        threshold.parse("-5")
