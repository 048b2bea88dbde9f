"""Clock travel that test builders start and the test run always ends.

A builder that moves the clock (an opened tender is past its deadline) calls
:func:`builder_travel`; the root conftest's autouse fixture calls
:func:`stop_builder_travels` after every test, so no test stops it by hand
and a failing test cannot leave the clock moved for the next one.
"""

import time_machine

_started: list[time_machine.travel] = []


def builder_travel(destination, **options) -> time_machine.travel:
    """Move the clock to ``destination`` until the end of the current test."""
    travel = time_machine.travel(destination, **options)
    travel.start()
    _started.append(travel)
    return travel


def stop_builder_travels() -> None:
    """End every travel a builder started, latest first (time-machine keeps them as a stack)."""
    while _started:
        _started.pop().stop()
