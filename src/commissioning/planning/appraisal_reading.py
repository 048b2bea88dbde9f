"""Reading an options appraisal, and judging it against PL-2 (pure, given what was read)."""

from dataclasses import dataclass

from commissioning.core.money import format_money

from .models import Appraisal, Option


def appraisal_of(record_id: int | None) -> Appraisal | None:
    """The appraisal of the record with id ``record_id``, its options and choice loaded, or None.

    Two queries however many options. The caller has already decided the
    reader may see the record (its page or its check).
    """
    if record_id is None:
        return None
    return (
        Appraisal.objects.select_related("chosen", "decided_by")
        .prefetch_related("options")
        .filter(record_id=record_id)
        .first()
    )


def option_shape(option: Option) -> str:
    """An option's shape in words: its size, length, number of contracts and funding type, where given."""
    parts = []
    if option.value is not None:
        parts.append(format_money(option.value))
    if option.length_months:
        parts.append(f"{option.length_months} month{'s' if option.length_months != 1 else ''}")
    if option.contracts:
        plural = "s" if option.contracts != 1 else ""
        parts.append(f"{option.contracts} contract{plural} or grant{plural}")
    if option.funding_type:
        parts.append(option.get_funding_type_display().lower())
    return ", ".join(parts)


@dataclass(frozen=True)
class Judgement:
    met: bool
    detail: str


def judge_appraisal(appraisal: Appraisal | None, *, options_at_least: int) -> Judgement:
    """PL-2: at least ``options_at_least`` options appraised, one chosen, with its rationale."""
    if appraisal is None:
        return Judgement(False, "No options appraisal is recorded for this piece of commissioning")
    options = list(appraisal.options.all())
    if len(options) < options_at_least:
        plural = "s" if len(options) != 1 else ""
        return Judgement(False, f"{len(options)} option{plural} appraised; at least {options_at_least} are expected")
    if appraisal.chosen_id is None or not appraisal.rationale.strip():
        return Judgement(False, f"{len(options)} options appraised, but none is chosen with its rationale")
    chosen = next((o for o in options if o.pk == appraisal.chosen_id), appraisal.chosen)
    return Judgement(
        True, f"{chosen.get_kind_display()} chosen from {len(options)} options: {appraisal.rationale[:200]}"
    )
