"""The agreement's and the return's workflows as tables, with their pure guards.

An agreement is drafted, issued by its commissioner (through the Code's gate
at "issuing an agreement"), and accepted by the provider's authorised
person; an issued agreement can be withdrawn to draft to correct it before
acceptance. A return is started (saved as typed), submitted, then accepted
or queried; a queried return is answered by submitting it again.
"""

from commissioning.audit.transitions import Workflow, t

from .models import AgreementStatus, ReturnStatus

AGREEMENT_WORKFLOW = Workflow(
    "agreement",
    AgreementStatus,
    (
        t("issue", AgreementStatus.DRAFT, AgreementStatus.ISSUED, verb="agreement.issue"),
        t("withdraw", AgreementStatus.ISSUED, AgreementStatus.DRAFT, verb="agreement.withdraw"),
        t("accept", AgreementStatus.ISSUED, AgreementStatus.ACCEPTED, verb="agreement.accept"),
    ),
)

RETURN_WORKFLOW = Workflow(
    "monitoring_return",
    ReturnStatus,
    (
        t("start", ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, verb="return.start"),
        t(
            "submit",
            (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.QUERIED),
            ReturnStatus.SUBMITTED,
            verb="return.submit",
        ),
        t("accept", ReturnStatus.SUBMITTED, ReturnStatus.ACCEPTED, verb="return.accept"),
        t("query", ReturnStatus.SUBMITTED, ReturnStatus.QUERIED, verb="return.query"),
        t("share", (ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT), ReturnStatus.SHARED, verb="return.share"),
    ),
)

# The returns the provider can still change: everything before submission, and a queried one.
EDITABLE_RETURN_STATUSES = frozenset({ReturnStatus.NOT_STARTED, ReturnStatus.DRAFT, ReturnStatus.QUERIED})
