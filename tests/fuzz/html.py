"""Read the forms, ids and error summary out of a rendered page (no browser needed)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Control:
    tag: str
    type: str
    name: str
    value: str
    id: str
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str
    enctype: str
    controls: list[Control] = field(default_factory=list)

    def names(self) -> list[str]:
        seen: list[str] = []
        for c in self.controls:
            if c.name and c.name not in seen and c.tag != "button":
                seen.append(c.name)
        return seen

    def control(self, name: str) -> Control:
        return next(c for c in self.controls if c.name == name)

    def baseline(self) -> dict[str, list[str]]:
        """What pressing the first button would send, with the values the page shows."""
        data: dict[str, list[str]] = {}
        button_done = False
        for c in self.controls:
            if not c.name:
                continue
            if c.tag == "button" or c.type == "submit":
                if not button_done:
                    data.setdefault(c.name, []).append(c.value)
                    button_done = True
                continue
            if c.type in {"radio", "checkbox"}:
                if c.checked:
                    data.setdefault(c.name, []).append(c.value or "on")
                continue
            if c.tag == "select":
                chosen = [v for v, selected in c.options if selected] or [v for v, _ in c.options[:1]]
                data.setdefault(c.name, []).extend(chosen)
                continue
            if c.type == "file":
                continue
            data.setdefault(c.name, []).append(c.value)
        return data


@dataclass
class Page:
    forms: list[Form] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    summary_links: list[tuple[str, str]] = field(default_factory=list)
    has_summary: bool = False


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.form: Form | None = None
        self.textarea: Control | None = None
        self.select: Control | None = None
        self.option: list | None = None
        self.in_summary_list = False
        self.link: list | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if a.get("id"):
            self.page.ids.add(a["id"])
        classes = a.get("class", "").split()
        if "govuk-error-summary" in classes:
            self.page.has_summary = True
        if tag == "ul" and "govuk-error-summary__list" in classes:
            self.in_summary_list = True
        if tag == "a" and self.in_summary_list and a.get("href", "").startswith("#"):
            self.link = [a["href"][1:], ""]
        if tag == "form":
            self.form = Form(a.get("action", ""), a.get("method", "get").lower(), a.get("enctype", ""))
            self.page.forms.append(self.form)
        if self.form is None:
            return
        if tag == "input":
            self.form.controls.append(
                Control(
                    "input",
                    a.get("type", "text").lower(),
                    a.get("name", ""),
                    a.get("value", ""),
                    a.get("id", ""),
                    checked="checked" in a,
                )
            )
        elif tag == "button":
            kind = a.get("type", "submit")
            self.form.controls.append(Control("button", kind, a.get("name", ""), a.get("value", ""), ""))
        elif tag == "textarea":
            self.textarea = Control("textarea", "textarea", a.get("name", ""), "", a.get("id", ""))
            self.form.controls.append(self.textarea)
        elif tag == "select":
            self.select = Control("select", "select", a.get("name", ""), "", a.get("id", ""))
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]

    def handle_endtag(self, tag):
        if tag == "ul":
            self.in_summary_list = False
        if tag == "a" and self.link is not None:
            self.page.summary_links.append((self.link[0], self.link[1].strip()))
            self.link = None
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "option" and self.option is not None and self.select is not None:
            value = self.option[0] if self.option[0] is not None else self.option[2].strip()
            self.select.options.append((value, self.option[1]))
            self.option = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        if self.option is not None:
            self.option[2] += data
        if self.link is not None:
            self.link[1] += data


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    return reader.page
