"""Small numbers in figures that leave the provider and the agreement's own commissioners.

A count of people from 1 up to the threshold is shown as "fewer than N", so nobody can be picked out of
a published or shared breakdown; a true zero is shown as 0 (the rounding policy Ofqual publishes does
the same with a threshold of 5). The threshold is the setting ``CONTRACTS["suppress_below"]``.

Source: Ofqual's rounding policy, "1–4 shown as 'fewer than 5'; true zero shown as 0",
https://www.gov.uk/government/publications/ofquals-statistics-policies-and-procedures/rounding-policy
(there is no single UK rule: NHS Digital hides 1–7, the ONS Longitudinal Study uses 10).
"""

from django.conf import settings


def threshold() -> int:
    """The smallest count shown as it is, outside the provider and the agreement's commissioners."""
    return int(settings.CONTRACTS["suppress_below"])


def suppressed(count: int | None, below: int | None = None) -> str:
    """``count`` as it may be shown to others: "fewer than N" for 1 to N-1, the number otherwise."""
    below = threshold() if below is None else below
    if count is None:
        return ""
    if 0 < count < below:
        return f"fewer than {below}"
    return f"{count:,}"
