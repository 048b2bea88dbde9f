"""What can happen to an organisation's registration.

A provider registers itself and waits; an administrator verifies it (it then
appears in the public directory and can act) or declines it with a reason.
A verified organisation can be suspended and reinstated.

    pending ──verify──▶ verified ──suspend──▶ suspended
       │                   ▲                      │
       └──reject──▶ rejected └──────reinstate─────┘
"""

from commissioning.audit.transitions import Workflow, t

from .models import OrganisationStatus as S


def _has_identifier_or_is_group(organisation, actor) -> str | None:
    # An unincorporated community group may have no register number; everyone else must.
    if organisation.legal_form == "community_group" or organisation.identifiers.exists():
        return None
    return "An organisation needs at least one identifier from a register before it can be verified"


def _actor_is_administrator(organisation, actor) -> str | None:
    if actor is None or not getattr(actor, "is_administrator", False):
        return "Only an administrator can change an organisation's verification"
    return None


def _reason_given(organisation, actor) -> str | None:
    if not (organisation.status_reason or "").strip():
        return "Give a reason"
    return None


ORGANISATION_WORKFLOW = Workflow(
    name="organisation",
    statuses=S,
    transitions=(
        t("verify", S.PENDING, S.VERIFIED, _actor_is_administrator, _has_identifier_or_is_group),
        t("reject", S.PENDING, S.REJECTED, _actor_is_administrator, _reason_given),
        t("suspend", S.VERIFIED, S.SUSPENDED, _actor_is_administrator, _reason_given),
        t("reinstate", S.SUSPENDED, S.VERIFIED, _actor_is_administrator),
    ),
)
