"""What typed text may hold: one rule for single-line text, one for longer text, one for links.

Pages (through the shared form base in :mod:`commissioning.frontend.forms`) and the
API schemas apply the same functions, so a value refused on one is refused on the
other with the same words.
"""

import re

# The character classes below are written once, as regular-expression ranges, so the API's
# documented patterns (JSON Schema) say exactly what these functions accept.

# Control characters other than tab and the line breaks (C0, DEL, C1).
CONTROL = r"\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
# Line breaks of every kind, and the tab: none belongs in a name or a title.
LINE_BREAKS = r"\t\n\x0b\x0c\r\x85\u2028\u2029"
# Characters that change the direction text is shown in (embeddings, overrides, isolates):
# they can make a name or a link read as something else, and are never needed in typed text.
DIRECTION = r"\u202a-\u202e\u2066-\u2069"
# Characters that show as nothing: zero-width spaces, marks, the byte-order mark, fillers.
INVISIBLE = (
    r"\u00ad\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b\u200e\u200f\u2060-\u2064\u206a-\u206f\u2800\u3164\ufeff\uffa0"
)
# Joiners shape letters in some scripts (Persian, the Indic scripts, emoji): allowed beside visible text.
JOINERS = r"\u200c\u200d"

_VISIBLE = re.compile(rf"[^\s{CONTROL}{LINE_BREAKS}{DIRECTION}{INVISIBLE}{JOINERS}]")
_BREAK = re.compile(rf"[{LINE_BREAKS}]")
_CONTROL = re.compile(rf"[{CONTROL}]")
_DIRECTION = re.compile(rf"[{DIRECTION}]")
_INVISIBLE = re.compile(rf"[{INVISIBLE}]")

# The same rules as JSON Schema patterns, for the API's documentation.
SINGLE_LINE_PATTERN = rf"^[^{CONTROL}{LINE_BREAKS}{DIRECTION}{INVISIBLE}]*$"
SOME_SINGLE_LINE_PATTERN = (
    rf"^[^{CONTROL}{LINE_BREAKS}{DIRECTION}{INVISIBLE}]*[^\s{CONTROL}{LINE_BREAKS}{DIRECTION}{INVISIBLE}{JOINERS}]"
    rf"[^{CONTROL}{LINE_BREAKS}{DIRECTION}{INVISIBLE}]*$"
)
MULTI_LINE_PATTERN = rf"^[^{CONTROL}{DIRECTION}]*$"
SOME_MULTI_LINE_PATTERN = (
    rf"^[^{CONTROL}{DIRECTION}]*[^\s{CONTROL}{DIRECTION}{INVISIBLE}{JOINERS}][^{CONTROL}{DIRECTION}]*$"
)


class TextProblem(ValueError):
    """Why a text is refused; ``code`` names the kind of problem ("blank", "lines", "invisible")."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def looks_blank(value: str) -> bool:
    """True when nothing visible is left once spaces and invisible characters are taken out."""
    return _VISIBLE.search(value) is None


def single_line_problem(value: str, *, what: str) -> TextProblem | None:
    """What is wrong with ``value`` as single-line text (a name, a title, a reference), or None.

    Refused: line breaks, tabs and other control characters; invisible characters
    (zero-width spaces, direction overrides, byte-order marks); and a value that
    looks blank. ``what`` is the field's name in a sentence ("the title").
    """
    if not value:
        return None
    if _BREAK.search(value):
        return TextProblem("lines", f"Enter {what} on one line")
    if looks_blank(value):
        return TextProblem("blank", f"Enter {what}: it holds only spaces or invisible characters")
    if _CONTROL.search(value):
        return TextProblem("invisible", f"Remove the control characters from {what}")
    if _DIRECTION.search(value) or _INVISIBLE.search(value):
        return TextProblem("invisible", f"Remove the invisible characters (like zero-width spaces) from {what}")
    return None


def multi_line_problem(value: str, *, what: str) -> TextProblem | None:
    """What is wrong with ``value`` as longer text (a description, a question, an answer), or None.

    Line breaks and tabs are allowed; other control characters, text-direction
    overrides and a value that looks blank are refused.
    """
    if not value:
        return None
    if looks_blank(value):
        return TextProblem("blank", f"Enter {what}: it holds only spaces or invisible characters")
    if _CONTROL.search(value):
        return TextProblem("invisible", f"Remove the control characters from {what}")
    if _DIRECTION.search(value):
        return TextProblem("invisible", f"Remove the text-direction characters from {what}")
    return None


# A link: http or https, a host name of at least two labels (international names in their
# xn-- form), an optional port, then printable ASCII. The API documents this pattern as it is.
LINK_PATTERN = (
    r"https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+"
    r"(:[0-9]{1,4})?([/?#][!-~]*)?"
)
_LINK = re.compile(LINK_PATTERN)


def link_problem(value: str) -> TextProblem | None:
    """What is wrong with ``value`` as a web link people will be sent to, or None.

    A link is http or https, names a host, and carries no user name or password
    (``http://trusted@elsewhere`` goes to ``elsewhere``): anything else is refused.
    """
    if not value:
        return None
    scheme, _, rest = value.partition("://")
    if scheme in {"http", "https"} and "@" in rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return TextProblem("link", "Enter the link without a user name or password (nothing before an @)")
    if not _LINK.fullmatch(value):
        return TextProblem("link", "Enter a link that starts with https://, like https://www.example.org/join")
    return None
