"""The clock finds feedback's jobs under their feedback.* names, and none under the names they had before."""

from commissioning.core.chronograph import clock_jobs


def test_the_clock_runs_feedbacks_jobs_by_their_new_names():
    names = {job.name for job in clock_jobs()}
    assert {"feedback.surveys", "feedback.feedback_overdue"} <= names
    assert not names & {"evaluation.surveys", "evaluation.feedback_overdue"}
    by_name = {job.name: job for job in clock_jobs()}
    assert by_name["feedback.surveys"].run.__module__ == "commissioning.feedback.chronograph"
