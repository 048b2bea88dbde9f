"""The Leeds Commissioning Code of Practice as data: 12 principles and 27 rules.

This module is the source the database is loaded from (see :mod:`.sync`). It
holds the Code's own words, what the hub checks for each action, the step each
rule guards, and each rule's settings with the values Leeds uses. A place other
than Leeds keeps these rules and changes the settings through the
administration pages; the words here stay the Code's.

The principles' text is the Code's, word for word. Two marks of the source's
typesetting are left out: the asterisks around emphasised words and a stray
closing quote after the third principle's title.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from commissioning.core.money import MoneyError, format_money, parse_money

# ---------------------------------------------------------------------------
# Stages and steps
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Stage:
    key: str
    label: str


# The stages follow the headings of the Code's "Actions to deliver Good Commissioning".
STAGES: tuple[Stage, ...] = (
    Stage("needs", "Needs assessment"),
    Stage("planning", "Planning"),
    Stage("procurement", "Commissioning and procurement (including grant-making)"),
    Stage("feedback", "Feedback and evaluation"),
    Stage("compact", "Compact for Leeds"),
    Stage("contract_management", "Contract management"),
    Stage("decommissioning", "Making contract savings and decommissioning"),
    Stage("review", "Review of the Code"),
)
STAGE_LABELS: dict[str, str] = {stage.key: stage.label for stage in STAGES}

# The steps a rule may guard: the step does not happen until every rule that
# guards it is met or explained. Later stages pass these keys to the gate.
STEP_NEEDS_ASSESSMENT_COMPLETE = "needs_assessment_complete"
STEP_PLAN_APPROVE = "plan_approve"
STEP_OPPORTUNITY_PUBLISH = "opportunity_publish"
STEP_AGREEMENT_ISSUE = "agreement_issue"
STEP_NOTICE_SERVE = "notice_serve"
STEP_DEFAULT_NOTICE_SERVE = "default_notice_serve"
STEP_DECOMMISSION = "decommission"

STEPS: dict[str, str] = {
    STEP_NEEDS_ASSESSMENT_COMPLETE: "completing a needs assessment",
    STEP_PLAN_APPROVE: "approving a plan",
    STEP_OPPORTUNITY_PUBLISH: "publishing an opportunity",
    STEP_AGREEMENT_ISSUE: "issuing an agreement or offer letter",
    STEP_NOTICE_SERVE: "serving notice of a funding change or end",
    STEP_DEFAULT_NOTICE_SERVE: "serving a default notice",
    STEP_DECOMMISSION: "decommissioning",
}

# ---------------------------------------------------------------------------
# Principles
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PrincipleDefinition:
    number: int
    title: str
    text: str


PRINCIPLES: tuple[PrincipleDefinition, ...] = (
    PrincipleDefinition(
        1,
        "Focuses on People and Place and reducing inequality",
        "Good commissioning will deliver the best outcomes for the people of Leeds, with a focus "
        "on reducing inequality of outcomes which link to factors including the place where "
        "people live in the city, their experience or specific aspects of their identity (e.g. "
        "protected equality characteristics)",
    ),
    PrincipleDefinition(
        2,
        "Person-centred and focuses on outcomes",
        "Good commissioning is person-centred and focuses on the outcomes that people say matter "
        "most to them. It empowers people to have choice and control in their lives and over the "
        "services they use.",
    ),
    PrincipleDefinition(
        3,
        "Co-produced with people, their carers and their communities",
        "Good commissioning starts from an understanding that people using services, and their "
        "communities, are experts in their own lives and essential partners in the design and "
        "development of services. Good commissioning creates meaningful opportunities for "
        "leadership and engagement of people in decisions that impact on the use of resources "
        "and the shape of local services.",
    ),
    PrincipleDefinition(
        4,
        "Considers equality, diversity and cohesion in all commissioning and is proportionate",
        "Good commissioning ensures that equality, diversity and cohesion legal obligations and "
        "more proactive ambitions are considered and integral to all commissioning practice. The "
        "commissioning approaches need to be well informed, appropriate and proportionate to the "
        "size of contract, circumstances and must demonstrate a clear rationale.",
    ),
    PrincipleDefinition(
        5,
        "Is Well led",
        "Good commissioning is delivered through the leadership, values and behaviour of senior "
        "leaders and commissioners of services and is underpinned by the principles of "
        "co-production, personalisation, integration and the promotion of health and wellbeing "
        "and the delivery of the city priorities.",
    ),
    PrincipleDefinition(
        6,
        "Commissions by influence",
        "Good commissioning includes strategic leadership which helps to set aims and ambitions "
        "and influence partners as well as direct commissioning.",
    ),
    PrincipleDefinition(
        7,
        "Demonstrates a whole system approach",
        "Good commissioning convenes and leads a whole system approach to ensure best use of all "
        "resources in a local area through joint approaches between public, third and private "
        "sectors.",
    ),
    PrincipleDefinition(
        8,
        "Uses evidence about what works",
        "Good commissioning supports innovation, but it also uses evidence about what works; it "
        "uses a wide range of information to promote quality outcomes for people and communities",
    ),
    PrincipleDefinition(
        9,
        "Ensures diversity, sustainability and quality of the market",
        "Good commissioning ensures a vibrant, diverse and sustainable market able to deliver "
        "positive outcomes for people and communities. It is concerned with sustainability, "
        "including financial stability of providers.",
    ),
    PrincipleDefinition(
        10,
        "Provides value for money",
        "Good commissioning provides value for money by identifying solutions that ensure a good "
        "balance of quality and cost to make the best use of resources and achieve positive "
        "outcomes for people and communities. It also recognises that value for money is also "
        "achieved by ensuring that resources are targeted at areas and communities of most need.",
    ),
    PrincipleDefinition(
        11,
        "Develops the commissioning and provider workforce",
        "Good commissioning requires competent and effective commissioners and facilitates the "
        "development of an effective, sufficient, trained and motivated workforce through the "
        "coordination of workforce planning.",
    ),
    PrincipleDefinition(
        12,
        "Promotes positive engagement with providers",
        "Good commissioning promotes positive engagement with all service providers. This means "
        "market shaping and commissioning are shared endeavours, with commissioners working "
        "alongside providers and citizens to find shared and agreed solutions.",
    ),
)

# ---------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------

INT = "int"
DECIMAL = "decimal"
PERCENT = "percent"
MONEY = "money"
SETTING_KINDS = (INT, DECIMAL, PERCENT, MONEY)

MONEY_CEILING = Decimal("1000000000")


class SettingValueError(ValueError):
    """A value that a setting cannot take; the message is written for the person who typed it."""


@dataclass(frozen=True)
class SettingDefinition:
    """One number a rule's check reads, with the value Leeds uses and the range allowed.

    ``unit`` names what an ``int`` setting counts, in the plural ("working days").
    """

    key: str
    label: str
    kind: str
    default: int | Decimal
    minimum: int | Decimal
    maximum: int | Decimal
    unit: str = ""

    def __post_init__(self):
        if self.kind not in SETTING_KINDS:
            raise ValueError(f"{self.key}: unknown setting kind {self.kind!r}")
        if not (self.minimum <= self.default <= self.maximum):
            raise ValueError(f"{self.key}: the default is outside the allowed range")

    @property
    def is_whole_number(self) -> bool:
        return self.kind in (INT, PERCENT)

    def parse(self, raw: object) -> int | Decimal:
        """Turn what someone typed (or a stored value) into this setting's type.

        Raises :class:`SettingValueError` with a message that says what to enter
        when the value is blank, not a number of the right kind, or out of range.
        """
        if isinstance(raw, bool) or raw is None:
            raise SettingValueError(f"Enter the {self.label[0].lower()}{self.label[1:]}")
        text = str(raw).strip().replace(",", "")
        if self.kind == MONEY:
            text = text.replace("£", "").strip()
        if self.kind == PERCENT:
            text = text.removesuffix("%").strip()
        if not text:
            raise SettingValueError(f"Enter the {self.label[0].lower()}{self.label[1:]}")
        value = self._whole_number(text) if self.is_whole_number else self._number(text)
        if value < self.minimum:
            raise SettingValueError(f"{self.label} must be {self.describe(self.minimum)} or more")
        if value > self.maximum:
            raise SettingValueError(f"{self.label} must be {self.describe(self.maximum)} or less")
        return value

    def _whole_number(self, text: str) -> int:
        try:
            return int(text)
        except ValueError as exc:
            raise SettingValueError(f"{self.label} must be a whole number") from exc

    def _number(self, text: str) -> Decimal:
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise SettingValueError(f"{self.label} must be a number") from exc
        if not value.is_finite():
            raise SettingValueError(f"{self.label} must be a number")
        if self.kind != MONEY:
            return value
        try:
            return parse_money(value, allow_negative=True)
        except MoneyError as exc:
            raise SettingValueError(f"{self.label} must have no more than 2 decimal places") from exc

    def stored(self, value: int | Decimal) -> int | str:
        """Return ``value`` as it is kept in JSON: whole numbers as numbers, money as text."""
        if self.kind == MONEY:
            return str(Decimal(value).quantize(Decimal("0.01")))
        if self.kind == DECIMAL:
            return str(value)
        return int(value)

    def describe(self, value: int | Decimal) -> str:
        """Say ``value`` in plain words: "15 working days", "60%", "£100,000"."""
        if self.kind == MONEY:
            return format_money(Decimal(value))
        if self.kind == PERCENT:
            return f"{value}%"
        if self.kind == DECIMAL:
            return str(value)
        unit = self.unit
        if unit and value == 1:
            unit = unit[:-1] if unit.endswith("s") else unit
        return f"{value:,} {unit}".strip()


def _whole(key, label, default, *, unit, minimum, maximum) -> SettingDefinition:
    return SettingDefinition(key, label, INT, default, minimum, maximum, unit)


def _percent(key, label, default) -> SettingDefinition:
    return SettingDefinition(key, label, PERCENT, default, 0, 100)


def _money(key, label, default) -> SettingDefinition:
    return SettingDefinition(key, label, MONEY, Decimal(default), Decimal(0), MONEY_CEILING)


# ---------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleDefinition:
    """One action of the Code as a rule.

    ``code_text`` quotes the Code. ``guards_step`` is the step the rule stops
    until it is met or explained, or None for a rule that is recorded but
    does not gate. ``ordered`` lists groups of setting keys whose values must
    not go down from one key to the next (a higher band never has a lower cap).
    """

    code: str
    stage: str
    title: str
    code_text: str
    check_text: str
    principles: tuple[int, ...]
    guards_step: str | None = None
    settings: tuple[SettingDefinition, ...] = ()
    ordered: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    def setting(self, key: str) -> SettingDefinition:
        for definition in self.settings:
            if definition.key == key:
                return definition
        raise KeyError(f"{self.code} has no setting {key!r}")

    @property
    def defaults(self) -> dict[str, int | str]:
        """The rule's settings as stored when nobody has changed them."""
        return {d.key: d.stored(d.default) for d in self.settings}


RULES: tuple[RuleDefinition, ...] = (
    # Needs assessment
    RuleDefinition(
        code="NA-1",
        stage="needs",
        title="Needs are understood from evidence, including the third sector's",
        code_text=(
            "Available data and intelligence, including from the third sector, to be used to "
            "inform understanding of needs and demand and the context for any intervention"
        ),
        check_text=(
            "A needs assessment records its evidence, each piece with its source and sector. "
            "At least one source is from the third sector, or the commissioner explains why not."
        ),
        principles=(8, 1),
        guards_step=STEP_NEEDS_ASSESSMENT_COMPLETE,
    ),
    RuleDefinition(
        code="NA-2",
        stage="needs",
        title="Service and sector reviews are open to everyone with a stake",
        code_text="Service and sector reviews to be open to all relevant stakeholders",
        check_text=(
            "The review is published with an open comment period. Every comment is kept and "
            "answered before the assessment is completed."
        ),
        principles=(12, 3),
        guards_step=STEP_NEEDS_ASSESSMENT_COMPLETE,
        settings=(
            _whole(
                "comment_days",
                "Least time a review is open for comment",
                28,
                unit="days",
                minimum=1,
                maximum=180,
            ),
        ),
    ),
    RuleDefinition(
        code="NA-3",
        stage="needs",
        title="Communities and service users are involved in understanding needs",
        code_text=(
            "Involvement of and / or co-production with local communities, existing and "
            "potential service users and appropriate others"
        ),
        check_text=(
            "Co-production activities are recorded against the assessment: who took part, how "
            "many people, and what changed as a result."
        ),
        principles=(3, 2),
        guards_step=STEP_NEEDS_ASSESSMENT_COMPLETE,
    ),
    # Planning
    RuleDefinition(
        code="PL-1",
        stage="planning",
        title="Commissioners co-ordinate their funding priorities",
        code_text=("Where possible commissioners should co-ordinate funding priorities and arrangements"),
        check_text=(
            "Every commissioner's planned commissioning is on one shared pipeline. Plans for the "
            "same outcome area, ward and period are flagged to both commissioners."
        ),
        principles=(7, 6),
        guards_step=STEP_PLAN_APPROVE,
    ),
    RuleDefinition(
        code="PL-2",
        stage="planning",
        title="The options for delivering the outcomes are fully considered",
        code_text=(
            "Demonstrate a full consideration of the options to deliver the desired outcomes, "
            "including for example: the size, length and number of contracts and the appropriate "
            "type of funding"
        ),
        check_text=(
            "An options appraisal (grant, contract, lots, consortium or other) records the "
            "rationale for the choice before the opportunity is published."
        ),
        principles=(4, 10),
        guards_step=STEP_OPPORTUNITY_PUBLISH,
        settings=(
            _whole(
                "options_at_least",
                "Least number of options appraised, the chosen one among them",
                2,
                unit="options",
                minimum=1,
                maximum=10,
            ),
        ),
    ),
    RuleDefinition(
        code="PL-3",
        stage="planning",
        title="There is time for market development, partnership building and mobilisation",
        code_text=(
            "Allow appropriate time for market and service development, including time for "
            "consortium or partnership development and the mobilisation of any service or "
            "project; consider what support is available to facilitate the strengthening and "
            "development of capacity in delivery organisations"
        ),
        check_text=(
            "Minimum lead times from publishing to the deadline, longer for higher values, and "
            "from award to the start of the service. A shorter time needs an explanation."
        ),
        principles=(9, 12),
        guards_step=STEP_OPPORTUNITY_PUBLISH,
        settings=(
            _whole(
                "lead_days_below_threshold",
                "Least time from publishing to the deadline, below the value threshold",
                15,
                unit="working days",
                minimum=0,
                maximum=260,
            ),
            _whole(
                "lead_days_above_threshold",
                "Least time from publishing to the deadline, at or above the value threshold",
                25,
                unit="working days",
                minimum=0,
                maximum=260,
            ),
            _money("lead_value_threshold", "Value threshold for the longer lead time", 100000),
            _whole(
                "mobilisation_days",
                "Least time from award to the start of the service",
                20,
                unit="working days",
                minimum=0,
                maximum=260,
            ),
        ),
        ordered=(("lead_days_below_threshold", "lead_days_above_threshold"),),
    ),
    RuleDefinition(
        code="PL-4",
        stage="planning",
        title="The third sector is a partner in scoping, design and evaluation",
        code_text=(
            "Where appropriate seek ways to include the 3rd sector as a commissioning partner, "
            "including providing opportunities for involvement in the scoping, design and "
            "evaluation of funding and contracting programmes"
        ),
        check_text="Third-sector partners' involvement is recorded for each stage of the plan.",
        principles=(12, 6),
        guards_step=STEP_PLAN_APPROVE,
    ),
    # Commissioning and procurement
    RuleDefinition(
        code="PR-1",
        stage="procurement",
        title="Opportunities are communicated through the agreed vehicles",
        code_text=("use agreed vehicles for communicating commissioning opportunities to the local third sector"),
        check_text=(
            "Every opportunity is on the public finder and in the Atom and OCDS feeds, and is "
            "e-mailed to organisations that asked for alerts on its category or wards."
        ),
        principles=(12, 9),
    ),
    RuleDefinition(
        code="PR-2",
        stage="procurement",
        title="Every opportunity has a market engagement event open to all providers",
        code_text=(
            "run market engagement / meet the buyer events for every opportunity, open and promoted to all providers"
        ),
        check_text=(
            "A market engagement event, with a date, a place or link and open registration, is "
            "held before the submission deadline."
        ),
        principles=(12, 9),
        guards_step=STEP_OPPORTUNITY_PUBLISH,
    ),
    RuleDefinition(
        code="PR-3",
        stage="procurement",
        title="Lots, grants and other flexibilities are used to meet niche demands",
        code_text=(
            "use the flexibilities allowed in the procurement regime, including use of lots, grants and other options"
        ),
        check_text=(
            "Lots and grant rounds are built in. A single-lot contract above the set value must "
            "record whether lots were considered."
        ),
        principles=(9, 4),
        guards_step=STEP_OPPORTUNITY_PUBLISH,
        settings=(
            _money(
                "lots_consider_above_value",
                "Value above which a single-lot contract must record whether lots were considered",
                500000,
            ),
        ),
    ),
    RuleDefinition(
        code="PR-4",
        stage="procurement",
        title="Social value is referenced and scored",
        code_text=(
            "reference Leeds Social Value ambitions in specifications and give recognition with "
            "appropriate scoring of the impact made by the local third sector on social capital "
            "and social value"
        ),
        check_text=(
            "The specification references the Leeds Social Value ambitions, and social value "
            "carries at least the set weight in the award criteria."
        ),
        principles=(10, 9),
        guards_step=STEP_OPPORTUNITY_PUBLISH,
        settings=(_percent("min_social_value_weight", "Least weight given to social value", 10),),
    ),
    RuleDefinition(
        code="PR-5",
        stage="procurement",
        title="Quality is given the greater weight",
        code_text=(
            "use an appropriate balance between price and quality in setting assessment criteria "
            "and maximise the weight given to quality in each case"
        ),
        check_text=(
            "Quality is weighted at least as much as price and at least the set minimum. A lower "
            "weight needs an explanation."
        ),
        principles=(10,),
        guards_step=STEP_OPPORTUNITY_PUBLISH,
        settings=(_percent("min_quality_weight", "Least weight given to quality", 60),),
    ),
    RuleDefinition(
        code="PR-6",
        stage="procurement",
        title="A minimum acceptable price or a fixed price prevents predatory pricing",
        code_text=(
            "avoid predatory pricing by bidders by setting a minimum acceptable price, or a "
            "fixed price, for each tender"
        ),
        check_text=(
            "Every priced lot has a minimum acceptable price or a fixed price. Bids below the "
            "minimum are rejected with a reason."
        ),
        principles=(9, 10),
        guards_step=STEP_OPPORTUNITY_PUBLISH,
    ),
    RuleDefinition(
        code="PR-7",
        stage="procurement",
        title="Bid documentation is proportionate to the contract",
        code_text=("Develop and use documentation for bids and monitoring which is proportionate to the contract"),
        check_text=(
            "The number of questions and the word limit per answer are capped by value band. "
            "Monitoring is scaled in the same way (CM-1)."
        ),
        principles=(4, 9),
        guards_step=STEP_OPPORTUNITY_PUBLISH,
        settings=(
            _whole(
                "max_questions_up_to_25k",
                "Most questions for a value up to £25,000",
                5,
                unit="questions",
                minimum=1,
                maximum=200,
            ),
            _whole(
                "max_questions_25k_100k",
                "Most questions for a value over £25,000 up to £100,000",
                8,
                unit="questions",
                minimum=1,
                maximum=200,
            ),
            _whole(
                "max_questions_100k_500k",
                "Most questions for a value over £100,000 up to £500,000",
                12,
                unit="questions",
                minimum=1,
                maximum=200,
            ),
            _whole(
                "max_questions_above_500k",
                "Most questions for a value over £500,000",
                20,
                unit="questions",
                minimum=1,
                maximum=200,
            ),
            _whole(
                "max_words_per_answer",
                "Most words allowed for an answer",
                1000,
                unit="words",
                minimum=50,
                maximum=10000,
            ),
        ),
        ordered=(
            (
                "max_questions_up_to_25k",
                "max_questions_25k_100k",
                "max_questions_100k_500k",
                "max_questions_above_500k",
            ),
        ),
    ),
    RuleDefinition(
        code="PR-8",
        stage="procurement",
        title="Ask once, use many times",
        code_text=(
            "Maximise consistency across documents and templates and apply the 'ask once, use "
            "many times' principle for questions, documentation requests, evidence etc"
        ),
        check_text=(
            "Standard questions (policies, insurance, accounts, safeguarding, identifiers) are "
            "answered once in the provider's evidence store and reused in every bid and "
            "application."
        ),
        principles=(4, 12),
    ),
    # Feedback and evaluation
    RuleDefinition(
        code="PR-9",
        stage="feedback",
        title="Feedback is sought from bidders and from those who showed interest",
        code_text=(
            "Seek feedback from successful and unsuccessful bidders, and non-bidders who "
            'expressed an interest, to inform "lessons learned" reviews and continuous '
            "improvement."
        ),
        check_text=(
            "A short survey goes to each successful and unsuccessful bidder and to each "
            "organisation that registered interest but did not bid. The answers feed the "
            "opportunity's lessons-learned record."
        ),
        principles=(8, 12, 11),
        settings=(
            _whole(
                "survey_working_days",
                "Time after the award decision to send the survey",
                10,
                unit="working days",
                minimum=1,
                maximum=60,
            ),
        ),
    ),
    RuleDefinition(
        code="PR-10",
        stage="feedback",
        title="Unsuccessful bidders get appropriate and timely feedback",
        code_text="Unsuccessful bidders should be offered appropriate and timely feedback.",
        check_text=(
            "Each unsuccessful bidder has a feedback letter with its scores against the "
            "winner's, sent within the set number of working days of the decision."
        ),
        principles=(12, 11),
        # Recorded as the letters go out and by the clock, not at a gate: a rule about what follows the
        # decision cannot stop the decision being made.
        settings=(
            _whole(
                "feedback_working_days",
                "Time after the award decision to send feedback",
                5,
                unit="working days",
                minimum=1,
                maximum=60,
            ),
        ),
    ),
    # Compact for Leeds
    RuleDefinition(
        code="PR-11",
        stage="compact",
        title="Agreements and offer letters reference the Compact for Leeds",
        code_text=(
            "Reference the Compact in the terms and conditions of all funding agreements with "
            "third sector and/or in offer letters, as appropriate"
        ),
        check_text=(
            "Generated agreements and offer letters carry the Compact clause. An agreement made "
            "outside the hub must confirm that it does."
        ),
        principles=(12, 5),
        guards_step=STEP_AGREEMENT_ISSUE,
    ),
    # Contract management
    RuleDefinition(
        code="CM-1",
        stage="contract_management",
        title="Reporting is proportionate to funding, risk and activity",
        code_text=(
            "Ensure that reporting requirements, including monitoring, evidence for financial "
            "claims and quality assurance are proportionate to the level of funding, risk and "
            "activity"
        ),
        check_text=(
            "A monitoring tier (light, standard or enhanced), set from value and risk, decides "
            "how often the provider reports and how many measures it reports on."
        ),
        principles=(4, 9),
        guards_step=STEP_AGREEMENT_ISSUE,
        settings=(
            _money("light_tier_up_to", "Highest annual value monitored at the light tier", 25000),
            _money("standard_tier_up_to", "Highest annual value monitored at the standard tier", 250000),
            _whole(
                "high_risk_raises_tiers",
                "How many tiers a high risk rating raises monitoring by",
                1,
                unit="tiers",
                minimum=0,
                maximum=2,
            ),
            _whole(
                "returns_per_year_light", "Returns a year at the light tier", 1, unit="returns", minimum=1, maximum=12
            ),
            _whole(
                "returns_per_year_standard",
                "Returns a year at the standard tier",
                2,
                unit="returns",
                minimum=1,
                maximum=12,
            ),
            _whole(
                "returns_per_year_enhanced",
                "Returns a year at the enhanced tier",
                4,
                unit="returns",
                minimum=1,
                maximum=12,
            ),
            _whole(
                "measures_light", "Most measures asked at the light tier", 3, unit="measures", minimum=1, maximum=50
            ),
            _whole(
                "measures_standard",
                "Most measures asked at the standard tier",
                6,
                unit="measures",
                minimum=1,
                maximum=50,
            ),
            _whole(
                "measures_enhanced",
                "Most measures asked at the enhanced tier",
                10,
                unit="measures",
                minimum=1,
                maximum=50,
            ),
            _whole(
                "return_due_working_days",
                "Working days after a period ends that its return is due",
                20,
                unit="working days",
                minimum=1,
                maximum=60,
            ),
            _money("spend_reported_over", "Spend against budget is reported on agreements over", 25000),
            _money("claims_evidence_over", "Financial claims need evidence on agreements over", 250000),
        ),
        ordered=(
            ("light_tier_up_to", "standard_tier_up_to"),
            ("returns_per_year_light", "returns_per_year_standard", "returns_per_year_enhanced"),
            ("measures_light", "measures_standard", "measures_enhanced"),
        ),
    ),
    RuleDefinition(
        code="CM-2",
        stage="contract_management",
        title="Beneficiaries can contribute to monitoring",
        code_text="if appropriate, that beneficiaries can contribute",
        check_text=("Each contract or grant has a route for beneficiaries' feedback, shown in its monitoring."),
        principles=(2, 3),
    ),
    RuleDefinition(
        code="CM-3",
        stage="contract_management",
        title="Commissioners co-ordinate monitoring and liaise with providers",
        code_text=(
            "that there is coordination between commissioners and active liaison between commissioners and providers"
        ),
        check_text=(
            "A provider with several contracts sees one reporting calendar, and commissioners "
            "see each other's monitoring of that provider."
        ),
        principles=(7, 12),
    ),
    RuleDefinition(
        code="CM-4",
        stage="contract_management",
        title="Monitoring shows performance and impact by place, characteristic and community",
        code_text=(
            "Ensure that monitoring and evaluation provide a sufficient assessment of "
            "performance and impact to inform future investment and the identification of good "
            "practice and service improvement opportunities. Including for example analysis by "
            "geography, protected characteristics, community."
        ),
        check_text=(
            "Monitoring returns break results down by Leeds ward, by the nine protected "
            "characteristics and carers, and by community of interest."
        ),
        principles=(1, 4, 8),
    ),
    RuleDefinition(
        code="CM-5",
        stage="contract_management",
        title="Funding changes and endings are given enough notice",
        code_text=(
            "Any planned changes to the level of funding, or any proposed cessation of the "
            "contract, should where possible provide a minimum of 6 months' notice and "
            "consideration should be given to the impact of any changes"
        ),
        check_text=(
            "A notice's earliest effective date is worked out from the set notice period. A "
            "shorter notice needs an explanation and an impact assessment."
        ),
        principles=(9, 1),
        guards_step=STEP_NOTICE_SERVE,
        settings=(
            _whole(
                "notice_months",
                "Least notice of a funding change or end",
                6,
                unit="months",
                minimum=0,
                maximum=24,
            ),
        ),
    ),
    RuleDefinition(
        code="CM-6",
        stage="contract_management",
        title="Discussion and time for remedial action come before a default notice",
        code_text=(
            "Commissioners will enter into discussions when contract terms and conditions are "
            "breached, or where there are performance issues, allowing a reasonable time for "
            "remedial action, before a default notice is served in accordance with the T and C's"
        ),
        check_text=(
            "A performance concern is followed by a discussion and a remedial plan with a "
            "deadline; only after that deadline can a default notice be served."
        ),
        principles=(12, 9),
        guards_step=STEP_DEFAULT_NOTICE_SERVE,
    ),
    # Decommissioning
    RuleDefinition(
        code="DC-1",
        stage="decommissioning",
        title="Decommissioning proposals are based on evidence",
        code_text=(
            "All decommissioning proposals must be based on evidence, including needs "
            "assessments, detailed equality and service impact assessments and consultation "
            "with or other consideration of customers, service users"
        ),
        check_text=(
            "A decommissioning proposal cannot go ahead without a needs assessment, an equality "
            "impact assessment, a service impact assessment and a consultation, or an "
            "explanation for each one missing."
        ),
        principles=(8, 4, 3),
        guards_step=STEP_DECOMMISSION,
    ),
    RuleDefinition(
        code="DC-2",
        stage="decommissioning",
        title="Providers are engaged early, given notice and offered support",
        code_text=(
            "Providers must be engaged as early as possible to allow time to adjust to the end "
            "of the investment, including, commissioners providing a minimum notice (6 months "
            "wherever possible) and offering or signposting to appropriate support"
        ),
        check_text=(
            "Early engagement with the provider is recorded, the notice period runs on the same "
            "clock as CM-5, and support is offered or signposted."
        ),
        principles=(9, 12),
        guards_step=STEP_DECOMMISSION,
        settings=(
            _whole(
                "notice_months",
                "Least notice before decommissioning",
                6,
                unit="months",
                minimum=0,
                maximum=24,
            ),
        ),
    ),
    # Review
    RuleDefinition(
        code="RV-1",
        stage="review",
        title="The Code's impact and application are reviewed every year",
        code_text=(
            "Proposed annual review of the impact of the Commissioning Code and its application "
            "BY Peoples Commissioning Group."
        ),
        check_text=(
            "An annual review is generated from the record: every rule's outcomes by "
            "commissioner and principle, with trends and the explanations given."
        ),
        principles=(5, 8),
    ),
)

RULES_BY_CODE: dict[str, RuleDefinition] = {rule.code: rule for rule in RULES}
RULE_CODES: tuple[str, ...] = tuple(RULES_BY_CODE)
PRINCIPLE_NUMBERS: tuple[int, ...] = tuple(p.number for p in PRINCIPLES)


def rule_definition(code: str) -> RuleDefinition:
    """Return the catalogue's definition of rule ``code``; KeyError when there is none."""
    return RULES_BY_CODE[code]


def _validate_catalogue() -> None:
    # The catalogue is data that is easy to mistype; refuse a broken one at import.
    stages = set(STAGE_LABELS)
    for rule in RULES:
        if rule.stage not in stages:
            raise ValueError(f"{rule.code}: unknown stage {rule.stage!r}")
        if rule.guards_step is not None and rule.guards_step not in STEPS:
            raise ValueError(f"{rule.code}: unknown step {rule.guards_step!r}")
        if not rule.principles or not set(rule.principles) <= set(PRINCIPLE_NUMBERS):
            raise ValueError(f"{rule.code}: principles must be among 1 to 12")
        keys = [d.key for d in rule.settings]
        if len(keys) != len(set(keys)):
            raise ValueError(f"{rule.code}: setting keys must be unique")
        for group in rule.ordered:
            if not set(group) <= set(keys):
                raise ValueError(f"{rule.code}: ordered keys must be settings of the rule")
    if len(RULES_BY_CODE) != len(RULES):
        raise ValueError("Rule codes must be unique")


_validate_catalogue()
