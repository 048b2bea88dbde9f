"""The shapes the Code's API answers with."""

from ninja import Schema
from pydantic import Field


class PrincipleOut(Schema):
    number: int = Field(description="The principle's number in the Code, 1 to 12")
    title: str
    text: str = Field(description="The principle in the Code's own words")
    rules: list[str] = Field(description="Codes of the rules that serve this principle")


class SettingOut(Schema):
    key: str
    label: str
    kind: str = Field(description="int, decimal, percent or money")
    value: int | str = Field(description="Current value; money and decimals as exact text")
    default: int | str = Field(description="The value Leeds uses")
    minimum: int | str
    maximum: int | str
    in_words: str = Field(description="The current value in plain words, e.g. '15 working days'")


class RuleOut(Schema):
    code: str = Field(description="The rule's fixed id, e.g. PR-5")
    stage: str
    stage_label: str
    title: str
    code_text: str = Field(description="The Code's own words")
    check_text: str = Field(description="What the hub checks or provides")
    guards_step: str | None = Field(description="The step the rule guards, or null when it only records")
    guards_step_label: str | None
    active: bool
    principles: list[int] = Field(description="Numbers of the principles the rule serves")
    settings: dict[str, int | str] = Field(description="Current settings by key")
    setting_definitions: list[SettingOut]


class ProblemOut(Schema):
    detail: str
