"""Who may see and change needs assessments and co-production, as ``rules`` predicates.

- A draft assessment belongs to its commissioning body: only that body's
  commissioners see it or change it. Everyone else, other bodies'
  commissioners and administrators included, is told nothing (404).
- A completed assessment is public and read-only.
- Co-production recorded for a commissioning record (a plan's) is seen and
  changed by the record's commissioners only.
"""

import rules

from commissioning.accounts.permissions import commissioning_at
from commissioning.records.permissions import is_record_commissioner

from .models import AssessmentStatus


@rules.predicate
def is_assessment_commissioner(user, assessment) -> bool:
    """The user is an active commissioner at the assessment's commissioning body."""
    return assessment is not None and assessment.body_id in commissioning_at(user)


@rules.predicate
def is_completed(user, assessment) -> bool:
    """The assessment is completed, so anyone may read it."""
    return assessment is not None and assessment.status == AssessmentStatus.COMPLETED


@rules.predicate
def is_draft(user, assessment) -> bool:
    """The assessment is still a draft, so it may change."""
    return assessment is not None and assessment.status == AssessmentStatus.DRAFT


@rules.predicate
def commissions_record(user, record) -> bool:
    """The user is a commissioner of the record's lead or joint bodies."""
    return record is not None and is_record_commissioner(user, record)


may_see_assessment = is_completed | is_assessment_commissioner
may_change_assessment = is_draft & is_assessment_commissioner

rules.add_perm("needs.view_assessment", may_see_assessment)
rules.add_perm("needs.change_assessment", may_change_assessment)
rules.add_perm("needs.change_record_coproduction", commissions_record)
