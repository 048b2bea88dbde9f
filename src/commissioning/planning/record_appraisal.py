"""The options appraisal's part of the commissioning record's page, under the Code's "Planning" stage."""

from django.urls import reverse

from commissioning.records.permissions import is_record_commissioner
from commissioning.records.sections import Part, Row, Section, record_section

from .appraisal_reading import appraisal_of, option_shape


@record_section(stage="planning", order=20)
def options_appraisal(record, user) -> Section | None:
    """The options considered and the choice, with a link to the appraisal for the record's commissioners.

    Shown even when nothing is recorded yet, so the commissioner finds where to
    start it; two queries.
    """
    href = reverse("planning_appraisal:appraisal", args=[record.reference])
    may_write = is_record_commissioner(user, record)
    found = appraisal_of(record.pk)
    options = list(found.options.all()) if found else []
    if not options:
        text = "No options appraisal is recorded yet."
        parts = [Part("Start the options appraisal", href=href)] if may_write else []
        return Section(heading="Options appraisal", text=text, parts=parts)
    rows = []
    for option in options:
        shape = option_shape(option)
        chosen = " (chosen)" if found.chosen_id == option.pk else ""
        rows.append(Row(f"{option.get_kind_display()}{chosen}", option.description + (f": {shape}" if shape else "")))
    if found.chosen_id:
        rows.append(Row("Why", found.rationale))
    return Section(
        heading="Options appraisal",
        parts=[
            Part(
                f"{len(options)} option{'s' if len(options) != 1 else ''} considered",
                rows=rows,
                href=href if may_write else "",
            )
        ],
    )
