"""Page guards that every stage's views share.

They read only what the signed-in user says of itself (``is_administrator``),
so the page layer needs nothing from the apps that define people and roles.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404


def is_administrator(user) -> bool:
    """The signed-in user administers the hub (an active person holding the administrator role)."""
    return bool(user and user.is_authenticated and getattr(user, "is_administrator", False))


def administrator_required(view):
    """Administrators only: others signed in get 404, anonymous visitors are asked to sign in."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_administrator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
