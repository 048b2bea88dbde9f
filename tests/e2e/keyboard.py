"""Going through pages with the keyboard alone: Tab, Shift+Tab, Enter, Space and the arrow keys.

A :class:`Keyboard` drives one page. It never clicks and never fills a field it found by
selector: locators only say where focus should arrive, and text is typed once focus got
there. Every time focus moves it checks two things about the element that took it:

- **focus is visible**: the element (or, for radios and checkboxes, the box drawn by its
  label) looks different while focused from how it looks unfocused, and shows the GOV.UK
  focus colour;
- **focus moves in reading order**: going forwards, the next element is not above the one
  before it (going backwards, not below). Moving on to a column further right, the
  skip link and the header (which sit at the top of every page) are the exceptions.

Every page that a key press opens is checked with axe, like the pages ``visit`` opens.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from playwright.sync_api import Locator, Page, Response, expect

# GOV.UK Frontend's $govuk-focus-colour.
FOCUS_COLOUR = "rgb(255, 221, 0)"

# Installed on each page once: remembers how every focusable element looks unfocused, and
# describes the element that has focus now.
_INSTALL = """() => {
  if (window.__keyboard) return;
  const props = ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor",
                 "color", "textDecorationLine", "textDecorationThickness", "borderColor"];
  const take = (style) => props.map((p) => style[p]).join("|");
  // The parts whose look says "focused": the element, its pseudo-elements, and for a
  // visually hidden radio or checkbox the box its label draws.
  const looks = (el) => {
    const parts = [take(getComputedStyle(el)), take(getComputedStyle(el, "::before")),
                   take(getComputedStyle(el, "::after"))];
    for (const label of el.labels || []) {
      parts.push(take(getComputedStyle(label)), take(getComputedStyle(label, "::before")));
    }
    return parts;
  };
  const unfocused = new WeakMap();
  const remember = (el) => {
    if (el instanceof Element && el !== document.activeElement) unfocused.set(el, looks(el));
  };
  document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]").forEach(remember);
  // An element focused when the page loaded (the error summary) is measured once it lets go.
  document.addEventListener("focusout", (event) => {
    const el = event.target;
    requestAnimationFrame(() => remember(el));
  });
  const name = (el) => {
    const label = el.getAttribute("aria-label")
      || [...(el.labels || [])].map((l) => l.innerText).join(" ")
      || el.innerText || el.value || el.getAttribute("title") || "";
    return label.replace(/\\s+/g, " ").trim().slice(0, 80);
  };
  const column = (el) => el.closest("[class*='govuk-grid-column']");
  window.__keyboard = {
    looks, unfocused,
    describe(target) {
      const el = document.activeElement;
      if (!el || el === document.body || el === document.documentElement) {
        return { none: true, matches: false };
      }
      const rect = el.getBoundingClientRect();
      const col = column(el);
      const now = looks(el);
      const before = unfocused.get(el);
      return {
        none: false,
        matches: target ? el === target : false,
        tag: el.tagName.toLowerCase(),
        type: el.getAttribute("type") || "",
        id: el.id || "",
        name: name(el),
        top: rect.top + window.scrollY,
        bottom: rect.bottom + window.scrollY,
        width: rect.width,
        height: rect.height,
        columnLeft: col ? col.getBoundingClientRect().left : null,
        column: col ? [...document.querySelectorAll("[class*='govuk-grid-column']")].indexOf(col) : -1,
        top_of_page: !!el.closest(".govuk-skip-link, .govuk-template__header"),
        changed: before === undefined ? null : before.join("\\n") !== now.join("\\n"),
        field: el.getAttribute("name") || "",
        focusColour: now.some((part) => part.includes("%FOCUS%")),
        looks: now,
      };
    },
  };
}"""

_DESCRIBE = "(target) => window.__keyboard.describe(target)"

# The last element that Tab reaches: the last one in the page's order that can take focus and is shown.
_LAST_TABBABLE = """() => {
  const all = [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")];
  const reachable = all.filter((el) => el.tabIndex >= 0 && !el.disabled && el.getClientRects().length > 0
    && getComputedStyle(el).visibility !== "hidden" && !(el.type === "radio" && !el.checked
    && document.querySelector(`input[type=radio][name="${el.name}"]:checked`)));
  return reachable[reachable.length - 1];
}"""


def _label(element: dict) -> str:
    what = element.get("tag", "?")
    if element.get("type"):
        what += f"[type={element['type']}]"
    if element.get("id"):
        what += f"#{element['id']}"
    return f"{what} {element.get('name', '')!r}"


@dataclass
class Keyboard:
    """One person's keyboard on one page; follows the page as key presses open others."""

    page: Page
    check_page: Callable[[Page], None]  # axe and the page's assets, as for every page the tests open
    assert_status: Callable[[Response | None, int, str], Response]
    trail: list[dict] = field(default_factory=list)
    backwards: bool = False

    # Watching focus -----------------------------------------------------------------

    def start(self) -> None:
        """Begin watching a page just opened: remember how each control looks unfocused."""
        self.page.evaluate(_INSTALL.replace("%FOCUS%", FOCUS_COLOUR))
        self.trail = []

    def focused(self, target: Locator | None = None) -> dict:
        """The element with focus now, and whether it is ``target``."""
        handle = target.element_handle() if target is not None else None
        return self.page.evaluate(_DESCRIBE, handle)

    def _check_visible(self, element: dict) -> None:
        # "changed" is None for an element not seen unfocused yet (added to the page by a script):
        # the focus colour alone must then show where focus is.
        assert element["width"] > 0 and element["height"] > 0, f"Focus went to an unseen element: {_label(element)}"
        assert element["changed"] is not False, (
            f"{_label(element)} looks the same focused as unfocused on {self.page.url}"
        )
        assert element["focusColour"], f"{_label(element)} does not show the focus colour on {self.page.url}:\n" + (
            "\n".join(element["looks"])
        )

    def _check_order(self, element: dict) -> None:
        if not self.trail:
            return
        previous = self.trail[-1]
        if element["top_of_page"] or previous["top_of_page"]:
            return
        if element["column"] != previous["column"] and None not in (element["columnLeft"], previous["columnLeft"]):
            further_right = element["columnLeft"] > previous["columnLeft"]
            if further_right != self.backwards:
                return
        if self.backwards:
            out_of_order = element["top"] >= previous["bottom"]
            where = "below"
        else:
            out_of_order = element["bottom"] <= previous["top"]
            where = "above"
        assert not out_of_order, (
            f"Focus jumped {where} on {self.page.url}: from {_label(previous)} to {_label(element)}\n"
            + " > ".join(_label(e) for e in self.trail[-6:])
        )

    def _arrive(self, element: dict) -> dict:
        assert not element["none"], f"Focus left the page's controls on {self.page.url}"
        self._check_visible(element)
        self._check_order(element)
        self.trail.append(element)
        return element

    # Moving focus -------------------------------------------------------------------

    def tab(self, *, backwards: bool = False) -> dict:
        """Press Tab (or Shift+Tab) once and check the element that takes focus."""
        if backwards != self.backwards:
            self.backwards = backwards
            self.trail = self.trail[-1:]
        self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
        return self._arrive(self.focused())

    def tab_to(self, target: Locator, *, backwards: bool = False, limit: int = 150) -> None:
        """Press Tab until ``target`` has focus, checking every element focus passes through."""
        expect(target).to_have_count(1)
        handle = target.element_handle()
        for _ in range(limit):
            if backwards != self.backwards:
                self.backwards = backwards
                self.trail = self.trail[-1:]
            self.page.keyboard.press("Shift+Tab" if backwards else "Tab")
            element = self._arrive(self.page.evaluate(_DESCRIBE, handle))
            if element["matches"]:
                return
        route = " > ".join(_label(e) for e in self.trail[-limit:])
        raise AssertionError(f"{limit} presses of Tab did not reach {target} on {self.page.url}: {route}")

    def sweep(self, *, limit: int = 200) -> int:
        """Tab from where focus is to the last control on the page, checking each; return how many were passed.

        For the last page of a journey, so that every control on it is checked, the footer's included.
        """
        last = self.page.evaluate_handle(_LAST_TABBABLE)
        for count in range(1, limit + 1):
            self.tab()
            if self.page.evaluate("(last) => document.activeElement === last", last):
                return count
        raise AssertionError(f"{limit} presses of Tab did not reach the end of {self.page.url}")

    def press(self, key: str) -> dict:
        """Press a key that moves focus or changes a control in place (an arrow, Space), and check focus."""
        self.page.keyboard.press(key)
        element = self.focused()
        assert not element["none"], f"{key} left the page's controls on {self.page.url}"
        self._check_visible(element)
        if self.trail and self.trail[-1].get("id") != element.get("id"):
            self._check_order(element)
            self.trail.append(element)
        return element

    def type(self, text: str) -> None:
        """Type into the element with focus, as a person would."""
        self.page.keyboard.type(text)

    def replace(self, text: str) -> None:
        """Select what the focused field holds and type ``text`` over it."""
        self.page.keyboard.press("ControlOrMeta+A")
        self.page.keyboard.press("Backspace")
        if text:
            self.page.keyboard.type(text)

    def fill(self, target: Locator, text: str) -> None:
        """Tab to a field and type into it."""
        self.tab_to(target)
        self.type(text)

    def choose(self, option: Locator, *, key: str = "ArrowDown", limit: int = 12) -> None:
        """Tab into ``option``'s radio group, then press ``key`` until it is selected.

        Arrow keys move focus within a group and select the radio they land on.
        """
        expect(option).to_have_count(1)
        group = option.get_attribute("name")
        handle = option.element_handle()
        for _ in range(150):
            element = self.tab()
            if element["field"] == group:
                break
        else:
            raise AssertionError(f"Tab did not reach the radios {group!r} on {self.page.url}")
        for _ in range(limit):
            if self.page.evaluate(_DESCRIBE, handle)["matches"]:
                if not option.is_checked():
                    # Tab into a group with nothing selected focuses its first radio without selecting it.
                    self.page.keyboard.press("Space")
                expect(option).to_be_checked()
                return
            self.press(key)
        raise AssertionError(f"{key} did not reach {option} on {self.page.url}")

    def toggle(self, checkbox: Locator) -> None:
        """Tab to a checkbox and press Space to tick or untick it."""
        was = checkbox.is_checked()
        self.tab_to(checkbox)
        self.page.keyboard.press("Space")
        expect(checkbox).to_be_checked(checked=not was)

    # Opening pages ------------------------------------------------------------------

    def activate(self, key: str = "Enter", *, status: int = 200) -> None:
        """Press ``key`` on the focused link or button, and check the page it opens with axe."""
        with self.page.expect_navigation() as navigation:
            self.page.keyboard.press(key)
        self.assert_status(navigation.value, status, f"{key} on {self.trail[-1]['name'] if self.trail else '?'}")
        self.check_page(self.page)
        self.start()

    def visit(self, url: str, *, status: int = 200) -> None:
        """Open ``url`` as if typed into the address bar, check it, and start watching focus there."""
        self.assert_status(self.page.goto(url), status, url)
        self.check_page(self.page)
        self.start()

    def sign_in(self, email: str, password: str) -> None:
        """Sign in from the sign-in page, typing into each field; stays on the page it lands on."""
        self.visit("/sign-in/")
        self.fill(self.page.get_by_label("E-mail address"), email)
        self.fill(self.page.get_by_label("Password", exact=True), password)
        self.open(self.page.get_by_role("button", name="Sign in", exact=True))
        assert "/sign-in/" not in self.page.url, "Signing in failed"

    def open(self, target: Locator, *, key: str = "Enter", status: int = 200) -> None:
        """Tab to a link or button and press Enter on it."""
        self.tab_to(target)
        self.activate(key, status=status)

    def skip_to_main(self) -> None:
        """Tab to the skip link and press Enter: focus moves to the main content, where the next Tab starts."""
        self.tab_to(self.page.get_by_role("link", name="Skip to main content"))
        self.page.keyboard.press("Enter")
        expect(self.page.locator("#main-content")).to_be_focused()
        self.trail = []

    # What takes focus by itself -----------------------------------------------------

    def success_banner_has_focus(self) -> None:
        """After an action succeeds, its success banner has taken focus, so it is read out first."""
        banner = self.page.locator(".govuk-notification-banner--success")
        expect(banner).to_be_focused()
        self._took_focus_visibly()

    def error_summary_has_focus(self) -> None:
        """On a page with errors, the error summary has taken focus, visibly."""
        summary = self.page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        expect(summary).to_be_focused()
        expect(self.page).to_have_title(re.compile(r"^Error: "))
        self._took_focus_visibly()

    def _took_focus_visibly(self) -> None:
        # Focused as the page loaded, it was never seen unfocused: its outline must show the focus colour.
        element = self.focused()
        assert element["focusColour"], f"{_label(element)} took focus without showing it on {self.page.url}"
        self.trail = [element]

    def follow_error(self, field_target: Locator, text: str | re.Pattern | None = None) -> None:
        """Tab to the error summary's link (the one saying ``text``, else the first), press Enter,
        and expect focus on ``field_target``, the field it is about."""
        links = self.page.locator(".govuk-error-summary__list a")
        self.tab_to(links.first if text is None else links.filter(has_text=text))
        self.page.keyboard.press("Enter")
        expect(field_target).to_be_focused()
        element = self.focused()
        self._check_visible(element)
        self.trail = [element]
