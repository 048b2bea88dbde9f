"""The figures the home page shows, given by the apps that know them.

The page layer knows no stage: an app adds a figure with :func:`home_figure`
when it is ready (``AppConfig.ready``), and the home page shows what was given.
"""

from collections.abc import Callable

_figures: dict[str, Callable[[], int]] = {}


def home_figure(name: str, count: Callable[[], int]) -> None:
    """Show ``count()`` on the home page as ``counts.<name>`` (a second call with one name replaces the first)."""
    _figures[name] = count


def home_figures() -> dict[str, int]:
    """Each given figure, counted now."""
    return {name: count() for name, count in _figures.items()}
