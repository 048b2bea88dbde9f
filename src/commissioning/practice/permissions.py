"""Who may confirm an explanation: one rule, answered for a person and as a list of people.

An explanation is confirmed by a second person: another commissioner of the
commissioning body it is given for, or one of the hub's administrators. The
person who wrote it never confirms it.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from commissioning.accounts.models import Membership, Organisation, OrganisationStatus, Role

EXPLAINING_ROLES = (Role.COMMISSIONER, Role.ADMINISTRATOR)
_LAPSED = [OrganisationStatus.REJECTED, OrganisationStatus.SUSPENDED]


def may_explain(user: Any) -> bool:
    """The person is an active commissioner or administrator."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.has_role(*EXPLAINING_ROLES))


def may_confirm_for(user: Any, body: Organisation | None) -> bool:
    """The person may confirm explanations given for ``body``.

    True for an active administrator, or an active commissioner of ``body``.
    With no body (an explanation recorded before confirmation was required),
    only administrators may. Whether the person wrote the explanation is
    checked by the service, which knows the explanation.
    """
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return False
    if user.is_administrator:
        return True
    return body is not None and Role.COMMISSIONER in user.roles_for(body)


def confirmers_for(*, body: Organisation | None, author: Any) -> QuerySet:
    """Everyone who may confirm an explanation ``author`` writes for ``body``, by name.

    The same rule as :func:`may_confirm_for`, as one query: active
    administrators and active commissioners of ``body``, never ``author``.
    """
    eligible = Q(role=Role.ADMINISTRATOR)
    if body is not None:
        eligible |= Q(role=Role.COMMISSIONER, organisation=body)
    memberships = Membership.objects.filter(eligible).exclude(organisation__status__in=_LAPSED)
    people = get_user_model().objects.filter(is_active=True, pk__in=memberships.values("user_id"))
    if getattr(author, "pk", None) is not None:
        people = people.exclude(pk=author.pk)
    return people.order_by("full_name", "email")


def confirmer_label(user: Any, body: Organisation | None) -> str:
    """The person as an explanation names its confirmer: "Ruth Adeyemi, commissioner, Leeds City Council"."""
    name = user.full_name or user.email
    if body is not None and Role.COMMISSIONER in user.roles_for(body):
        return f"{name}, commissioner, {body.name}"
    if user.is_administrator:
        return f"{name}, administrator"
    return name
