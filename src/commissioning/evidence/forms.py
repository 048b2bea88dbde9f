"""The form for one evidence item, built from the item's description.

It only carries what was typed: every field is optional text here, and the
service checks and normalises it (required fields, money, dates, identifiers),
so the pages, the API and any other caller meet the same rules and messages.
"""

from typing import Any

from django import forms

from commissioning.frontend.forms import GovukForm, refused_into

from .specs import MAX_ENTRIES, Field, ItemSpec, form_value

WIDTHS = {"money": "10", "date": "10", "year": "4"}


def _form_field(f: Field) -> forms.Field:
    attrs: dict[str, Any] = {}
    width = f.width or WIDTHS.get(f.kind)
    if width:
        attrs["class"] = f"govuk-input--width-{width}"
    if f.kind in {"money", "year"}:
        attrs["inputmode"] = "decimal" if f.kind == "money" else "numeric"
        attrs["spellcheck"] = "false"
    if f.kind == "choice":
        return forms.ChoiceField(
            label=f.label, required=False, choices=list(f.choices), widget=forms.RadioSelect, help_text=f.hint
        )
    if f.kind in {"textarea", "org_ids"}:
        widget = forms.Textarea(attrs={"rows": 3 if f.kind == "org_ids" else 5})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(label=f.label, required=False, help_text=f.hint, widget=widget)


def entry_rows(spec: ItemSpec, data: dict[str, Any] | None, asked: str | None = None) -> int:
    """How many entry rows a list item's form shows: those saved plus one blank (at least 3, at most 10).

    ``asked`` is the row count a posted form carried, bounded the same way.
    """
    if not spec.entries:
        return 0
    if asked is not None:
        try:
            return max(1, min(MAX_ENTRIES, int(asked)))
        except ValueError:
            pass
    saved = len((data or {}).get("entries", []))
    return max(3, min(MAX_ENTRIES, saved + 1))


class EvidenceForm(GovukForm):
    """The fields of one item (and its entry rows), and its file when it takes one."""

    def __init__(self, *args, spec: ItemSpec, rows: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.rows = rows
        for f in spec.fields:
            self.fields[f.name] = _form_field(f)
        for index in range(rows):
            for f in spec.entries:
                self.fields[f"entries-{index}-{f.name}"] = _form_field(f)
        if spec.takes_file:
            self.fields["file"] = forms.FileField(label=spec.file_label, required=False)

    @classmethod
    def initial_from(cls, spec: ItemSpec, data: dict[str, Any] | None) -> dict[str, Any]:
        """A stored version's data as the form's initial values."""
        data = data or {}
        initial = {f.name: form_value(f, data.get(f.name)) for f in spec.fields}
        for index, entry in enumerate(data.get("entries", [])):
            for f in spec.entries:
                initial[f"entries-{index}-{f.name}"] = form_value(f, entry.get(f.name))
        return initial

    def entry_groups(self) -> list[tuple[int, list[forms.BoundField]]]:
        """The entry rows, numbered from 1, each with its bound fields, for the template."""
        return [
            (index + 1, [self[f"entries-{index}-{f.name}"] for f in self.spec.entries]) for index in range(self.rows)
        ]

    def data_for_service(self) -> dict[str, Any]:
        """What was typed, shaped as :func:`services.evidence_item_record` takes it."""
        cleaned = self.cleaned_data
        data: dict[str, Any] = {f.name: cleaned.get(f.name, "") for f in self.spec.fields}
        if self.spec.entries:
            data["entries"] = [
                {f.name: cleaned.get(f"entries-{index}-{f.name}", "") for f in self.spec.entries}
                for index in range(self.rows)
            ]
        return data

    def apply_errors(self, errors: dict[str, list[str]]) -> None:
        """Put a refusal's messages on the fields they name (or on the whole form)."""
        refused_into(self, errors)
