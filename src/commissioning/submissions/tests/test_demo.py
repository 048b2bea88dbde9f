"""The demo bids: drafts, submitted, consortium, withdrawn and resubmitted, opened and still sealed."""

import pytest
from django.core.management import call_command

from commissioning.accounts.models import User
from commissioning.submissions import canonical, selectors
from commissioning.submissions.demo import BEFRIENDING, CRISIS, SOCIAL_PRESCRIBING, YOUNG_CARERS
from commissioning.submissions.models import ConsortiumMember, Opening, Submission, SubmissionRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data", quiet=True)


def test_loading_again_makes_no_second_bid(demo):
    counts = (Submission.objects.count(), SubmissionRecord.objects.count(), Opening.objects.count())
    call_command("load_demo_data", quiet=True)
    assert (Submission.objects.count(), SubmissionRecord.objects.count(), Opening.objects.count()) == counts


def test_the_demo_has_bids_in_every_state(demo):
    draft = Submission.objects.get(opportunity__title=YOUNG_CARERS)
    assert draft.status == "draft" and not draft.records.exists() and draft.answers.exists()

    consortium = Submission.objects.get(opportunity__title=CRISIS)
    assert consortium.status == "submitted"
    assert ConsortiumMember.objects.get(submission=consortium).status == "confirmed"
    assert len(consortium.records.get().document["consortium"]) == 1

    resubmitted = Submission.objects.get(opportunity__title=SOCIAL_PRESCRIBING)
    first, second = resubmitted.records.order_by("number")
    assert first.withdrawn_at is not None and second.withdrawn_at is None

    for record in SubmissionRecord.objects.all():
        assert record.sha256 == canonical.digest(record.canonical)


def test_one_closed_tender_is_opened_and_the_open_ones_stay_sealed(demo):
    opening = Opening.objects.get(opportunity__title=BEFRIENDING)
    assert opening.submissions == 2
    for record in selectors.counted_records(opening.opportunity):
        assert record.submitted_at < opening.opportunity.submission_deadline
    crisis = Submission.objects.get(opportunity__title=CRISIS).opportunity
    icb = User.objects.get(email="commissioner@wy-icb.example")
    with pytest.raises(selectors.Sealed):
        selectors.opened_records_for(user=icb, opportunity=crisis)
