"""Every page and endpoint against every role, including anonymous visitors.

Each row names a URL and the status each role must get. A page that is not
in the matrix fails ``test_every_route_is_in_the_matrix``, so a new view
cannot arrive without its access being specified.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from commissioning.accounts import services
from commissioning.accounts.models import OrganisationStatus, Role
from commissioning.accounts.tests.factories import (
    CommissionerOrgFactory,
    IdentifierFactory,
    ProviderFactory,
    VerifiedProviderFactory,
    person_with_role,
)
from commissioning.opportunities.models import Opportunity

ROLES = [
    "anonymous",
    "provider_member",
    "provider_admin",
    "other_provider_admin",
    "commissioner",
    "evaluator",
    "partnership_reviewer",
    "administrator",
]
SIGNED_IN = [r for r in ROLES if r != "anonymous"]


def everyone(status):
    return dict.fromkeys(ROLES, status)


def admins_only():
    return {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 302, "administrator": 200}


def own_org_admins_only():
    return {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 302, "provider_admin": 200}


def signed_in(status_for_them=200):
    return {**dict.fromkeys(SIGNED_IN, status_for_them), "anonymous": 302}


def evidence_keepers(anonymous=302):
    """The provider's own administrator and member; 404 for everyone else, whoever they are."""
    return {**dict.fromkeys(SIGNED_IN, 404), "anonymous": anonymous, "provider_member": 200, "provider_admin": 200}


def commissioners(status=200):
    """The opportunity's commissioner only; everyone else gets 404 (anonymous: sign in)."""
    return {**signed_in(404), "commissioner": status}


def nobody():
    """Nobody signed in reaches it (404); anonymous visitors are asked to sign in."""
    return signed_in(404)


def bidders(status=200):
    """The provider's own people reach its bid; everyone else gets 404 (anonymous: sign in)."""
    return {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 302, "provider_member": status, "provider_admin": status}


def bidders_by_token():
    """Through the API: the provider's own people reach its bid; everyone else gets 404 (no token: 401)."""
    return {**bidders(), "anonymous": 401}


# (route name, path template, method, expected status per role). A provider's empty post from an
# opportunity's page is refused on that page, with the error summary (200), not redirected.
MATRIX = [
    ("frontend:home", "/", "get", everyone(200)),
    ("frontend:accessibility", "/accessibility/", "get", everyone(200)),
    ("frontend:privacy", "/privacy/", "get", everyone(200)),
    ("frontend:cookies", "/cookies/", "get", everyone(200)),
    ("healthz", "/healthz", "get", everyone(200)),
    ("accounts:sign-up", "/sign-up/", "get", {**dict.fromkeys(SIGNED_IN, 302), "anonymous": 200}),
    ("accounts:sign-up-done", "/sign-up/done/", "get", signed_in()),
    ("accounts:sign-in", "/sign-in/", "get", {**dict.fromkeys(SIGNED_IN, 302), "anonymous": 200}),
    ("accounts:sign-out", "/sign-out/", "post", everyone(302)),
    ("accounts:sign-out", "/sign-out/", "get", everyone(405)),
    ("accounts:password-reset", "/password-reset/", "get", everyone(200)),
    ("accounts:password-reset-sent", "/password-reset/sent/", "get", everyone(200)),
    ("accounts:password-reset-confirm", "/password-reset/MQ/bad-token/", "get", everyone(200)),
    ("accounts:password-reset-complete", "/password-reset/complete/", "get", everyone(200)),
    ("accounts:my-account", "/account/", "get", signed_in()),
    (
        "accounts:api-token-revoke",
        "/account/tokens/{token}/revoke/",
        "post",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 302, "provider_admin": 302},
    ),
    ("accounts:directory", "/organisations/", "get", everyone(200)),
    ("accounts:organisation", "/organisations/{verified}/", "get", everyone(200)),
    ("accounts:organisation", "/organisations/{pending}/", "get", {**everyone(404), "administrator": 200}),
    ("accounts:organisation-edit", "/organisations/{verified}/edit/", "get", own_org_admins_only()),
    ("accounts:organisation-identifiers", "/organisations/{verified}/identifiers/", "get", own_org_admins_only()),
    ("accounts:organisation-people", "/organisations/{verified}/people/", "get", own_org_admins_only()),
    ("accounts:organisation-invite", "/organisations/{verified}/people/invite/", "get", own_org_admins_only()),
    ("accounts:invitation", "/invitations/not-a-real-token/", "get", everyone(404)),
    ("accounts:administration", "/administration/", "get", admins_only()),
    ("accounts:verification-list", "/administration/organisations/", "get", admins_only()),
    ("accounts:commissioning-body-new", "/administration/organisations/new/", "get", admins_only()),
    ("accounts:verification-detail", "/administration/organisations/{pending}/", "get", admins_only()),
    ("accounts:verification-detail", "/administration/organisations/{pending}/", "post", admins_only()),
    ("audit:list", "/administration/audit/", "get", admins_only()),
    ("accounts:closure-days", "/administration/closure-days/", "get", admins_only()),
    ("practice:code", "/code/", "get", everyone(200)),
    ("practice:rule", "/code/rules/PR-5/", "get", everyone(200)),
    (
        "practice:explanations",
        "/explanations/",
        "get",
        {**signed_in(404), "commissioner": 200, "administrator": 200},
    ),
    # {explanation} was written by the commissioner and names the administrator to confirm it:
    # only they may open it, not even its writer.
    ("practice:explanation", "/explanations/{explanation}/", "get", {**signed_in(404), "administrator": 200}),
    ("practice:explanation", "/explanations/{explanation}/", "post", {**signed_in(404), "administrator": 200}),
    ("practice:settings", "/administration/code/", "get", admins_only()),
    ("practice:settings-edit", "/administration/code/PR-5/", "get", admins_only()),
    ("opportunities:finder", "/opportunities/", "get", everyone(200)),
    ("opportunities:feed", "/opportunities/feed.atom", "get", everyone(200)),
    ("opportunities:detail", "/opportunities/{published}/", "get", everyone(200)),
    ("opportunities:detail", "/opportunities/{draft}/", "get", {**everyone(404), "commissioner": 200}),
    ("opportunities:document", "/opportunities/{published}/documents/{document}/", "get", everyone(200)),
    (
        "opportunities:document-new",
        "/commissioning/opportunities/{draft}/documents/new/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    (
        "opportunities:interest",
        "/opportunities/{published}/interest/",
        "post",
        {**signed_in(404), "provider_member": 200, "provider_admin": 200, "other_provider_admin": 200},
    ),
    (
        "opportunities:ask",
        "/opportunities/{published}/ask/",
        "post",
        {**signed_in(404), "provider_member": 200, "provider_admin": 200, "other_provider_admin": 200},
    ),
    (
        "opportunities:book",
        "/opportunities/{published}/events/{event}/book/",
        "post",
        {**signed_in(404), "provider_member": 200, "provider_admin": 200, "other_provider_admin": 200},
    ),
    ("opportunities:alerts", "/account/alerts/", "get", signed_in()),
    # Everyone signed in reaches their own list; it holds only their organisations' questions.
    ("opportunities:my-questions", "/account/questions/", "get", signed_in()),
    ("review:dashboard", "/commissioning/", "get", {**signed_in(404), "commissioner": 200}),
    ("opportunities:create", "/commissioning/opportunities/new/", "get", {**signed_in(404), "commissioner": 200}),
    ("opportunities:manage", "/commissioning/opportunities/{draft}/", "get", {**signed_in(404), "commissioner": 200}),
    (
        "opportunities:edit",
        "/commissioning/opportunities/{draft}/details/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    (
        "opportunities:lot-new",
        "/commissioning/opportunities/{draft}/lots/new/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    (
        "opportunities:lot",
        "/commissioning/opportunities/{draft}/lots/1/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    (
        "opportunities:question-new",
        "/commissioning/opportunities/{draft}/questions/new/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    (
        "opportunities:question",
        "/commissioning/opportunities/{draft}/questions/1/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    (
        "opportunities:event-new",
        "/commissioning/opportunities/{draft}/events/new/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    (
        "opportunities:event",
        "/commissioning/opportunities/{published}/events/{event}/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    (
        "opportunities:check",
        "/commissioning/opportunities/{draft}/check/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    (
        "opportunities:amend",
        "/commissioning/opportunities/{published}/amend/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    ("opportunities:end", "/commissioning/opportunities/{draft}/end/", "get", {**signed_in(404), "commissioner": 200}),
    (
        "opportunities:clarifications",
        "/commissioning/opportunities/{published}/clarifications/",
        "get",
        {**signed_in(404), "commissioner": 200},
    ),
    # Commissioning records: {record} is the draft's record, led by the commissioner's council; {other_record}
    # is led by another body, so only an administrator reaches it.
    (
        "records:list",
        "/commissioning/records/",
        "get",
        {**signed_in(404), "commissioner": 200, "administrator": 200},
    ),
    (
        "records:detail",
        "/commissioning/records/{record}/",
        "get",
        {**signed_in(404), "commissioner": 200, "administrator": 200},
    ),
    ("records:detail", "/commissioning/records/{other_record}/", "get", {**signed_in(404), "administrator": 200}),
    ("records:detail", "/commissioning/records/CR-2000-0001/", "get", signed_in(404)),
    # planning: options appraisal. The record's commissioners only (an administrator reads the record, not this).
    ("planning_appraisal:appraisal", "/commissioning/records/{record}/options/", "get", commissioners()),
    ("planning_appraisal:appraisal", "/commissioning/records/{other_record}/options/", "get", nobody()),
    ("planning_appraisal:option-new", "/commissioning/records/{record}/options/new/", "get", commissioners()),
    ("planning_appraisal:option-new", "/commissioning/records/{other_record}/options/new/", "post", nobody()),
    ("planning_appraisal:option", "/commissioning/records/{record}/options/99/", "get", nobody()),
    (
        "planning_appraisal:option",
        "/commissioning/records/{record}/options/{appraisal_option}/",
        "get",
        commissioners(),
    ),
    ("planning_appraisal:option-remove", "/commissioning/records/{record}/options/99/remove/", "post", nobody()),
    ("planning_appraisal:choose", "/commissioning/records/{record}/options/choice/", "post", commissioners()),
    (
        "planning_appraisal:choose",
        "/commissioning/records/{record}/options/choice/",
        "get",
        {**everyone(405), "anonymous": 302},
    ),
    ("api", "/api/v1/records/{record}/appraisal", "get", {**commissioners(), "anonymous": 401}),
    ("api", "/api/v1/records/{other_record}/appraisal", "get", {**nobody(), "anonymous": 401}),
    ("api", "/api/v1/records/{record}/appraisal/options", "post", {**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401}),
    (
        "api",
        "/api/v1/records/{record}/appraisal/options/{appraisal_option}",
        "delete",
        {**nobody(), "commissioner": 204, "anonymous": 401},
    ),
    ("evidence:list", "/evidence/", "get", {**evidence_keepers(), "other_provider_admin": 200}),
    ("evidence:list", "/evidence/?organisation={verified}", "get", evidence_keepers()),
    ("evidence:item", "/evidence/insurance_public/?organisation={verified}", "get", evidence_keepers()),
    ("evidence:remove", "/evidence/insurance_public/remove/?organisation={verified}", "get", evidence_keepers()),
    ("evidence:file", "/evidence/files/{evidence}/", "get", evidence_keepers()),
    ("api", "/api/v1/evidence", "get", {**dict.fromkeys(SIGNED_IN, 200), "anonymous": 401}),
    ("api", "/api/v1/evidence?organisation={verified}", "get", evidence_keepers(anonymous=401)),
    ("api", "/api/v1/evidence/{evidence}", "get", evidence_keepers(anonymous=401)),
    ("review:bids", "/bids/", "get", {**bidders(), "other_provider_admin": 200}),
    ("submissions:start", "/opportunities/{published}/bid/", "get", {**bidders(), "other_provider_admin": 200}),
    ("submissions:tasks", "/bids/{submission}/", "get", bidders()),
    ("submissions:lots", "/bids/{submission}/lots/", "get", bidders()),
    ("submissions:evidence", "/bids/{submission}/evidence/", "get", bidders()),
    ("submissions:question", "/bids/{submission}/questions/1/", "get", bidders()),
    ("submissions:commitments", "/bids/{submission}/commitments/", "get", bidders()),
    ("submissions:commitment-remove", "/bids/{submission}/commitments/{commitment}/remove/", "post", bidders(302)),
    ("submissions:attachments", "/bids/{submission}/files/", "get", bidders()),
    ("submissions:attachment", "/bids/{submission}/files/{attachment}/", "get", bidders()),
    ("submissions:attachment-remove", "/bids/{submission}/files/{attachment}/remove/", "post", bidders(302)),
    ("submissions:consortium", "/bids/{submission}/consortium/", "get", bidders()),
    ("submissions:member-remove", "/bids/{submission}/consortium/{member}/remove/", "post", bidders(302)),
    (
        "submissions:invitation",
        "/bids/{submission}/invitation/{member}/",
        "get",
        {**signed_in(404), "other_provider_admin": 200},
    ),
    ("submissions:check", "/bids/{submission}/check/", "get", bidders()),
    ("submissions:withdraw", "/bids/{submission}/withdraw/", "get", bidders()),
    ("submissions:receipt", "/bids/{submission}/receipts/1/", "get", bidders()),
    # The commissioner's submissions pages: {published} has a bid and is sealed (before its deadline);
    # {opened} is past its deadline, with a bid by the same provider, opened by the commissioner.
    ("submissions:opening", "/commissioning/opportunities/{published}/submissions/", "get", commissioners()),
    ("submissions:opening", "/commissioning/opportunities/{published}/submissions/", "post", commissioners(302)),
    ("submissions:opening", "/commissioning/opportunities/{opened}/submissions/", "get", commissioners()),
    ("submissions:opened", "/commissioning/opportunities/{published}/submissions/{submission}/", "get", nobody()),
    (
        "submissions:opened",
        "/commissioning/opportunities/{opened}/submissions/{opened_submission}/",
        "get",
        commissioners(),
    ),
    (
        "submissions:opened-evidence",
        "/commissioning/opportunities/{published}/submissions/{submission}/evidence/{evidence}/",
        "get",
        nobody(),
    ),
    (
        "submissions:opened-evidence",
        "/commissioning/opportunities/{opened}/submissions/{opened_submission}/evidence/{opened_evidence}/",
        "get",
        commissioners(),
    ),
    (
        "submissions:attachment",
        "/bids/{opened_submission}/files/{opened_attachment}/",
        "get",
        {**bidders(), "commissioner": 200},
    ),
    # Evaluation: {opened} has opened submissions and no evaluation yet; {evaluating} is at moderation with
    # every answer moderated, the evaluator on its panel having declared and submitted; {awarded} is awarded
    # and in its standstill.
    ("evaluation:start", "/commissioning/opportunities/{opened}/evaluation/start/", "get", commissioners()),
    ("evaluation:start", "/commissioning/opportunities/{opened}/evaluation/start/", "post", commissioners(302)),
    ("evaluation:overview", "/commissioning/opportunities/{evaluating}/evaluation/", "get", commissioners()),
    ("evaluation:panel", "/commissioning/opportunities/{evaluating}/evaluation/panel/", "get", commissioners()),
    (
        "evaluation:moderation",
        "/commissioning/opportunities/{evaluating}/evaluation/moderation/",
        "get",
        commissioners(),
    ),
    ("evaluation:prices", "/commissioning/opportunities/{evaluating}/evaluation/prices/", "get", commissioners()),
    ("evaluation:results", "/commissioning/opportunities/{evaluating}/evaluation/results/", "get", commissioners()),
    (
        "evaluation:recommend",
        "/commissioning/opportunities/{evaluating}/evaluation/recommendation/",
        "get",
        commissioners(),
    ),
    ("evaluation:approve", "/commissioning/opportunities/{awarded}/evaluation/approval/", "get", commissioners()),
    ("evaluation:send-back", "/commissioning/opportunities/{awarded}/evaluation/send-back/", "get", commissioners()),
    ("evaluation:award", "/commissioning/opportunities/{awarded}/evaluation/award/", "get", commissioners()),
    (
        "evaluation:standstill",
        "/commissioning/opportunities/{awarded}/evaluation/standstill/",
        "get",
        commissioners(),
    ),
    # {awarded}'s award notice is not yet recorded: the commissioner gets the form (an empty post, its errors).
    (
        "evaluation:award-notice",
        "/commissioning/opportunities/{awarded}/evaluation/standstill/notice/",
        "get",
        commissioners(),
    ),
    (
        "evaluation:award-notice",
        "/commissioning/opportunities/{awarded}/evaluation/standstill/notice/",
        "post",
        commissioners(),
    ),
    (
        "evaluation:panels",
        "/evaluation/",
        "get",
        {**signed_in(404), "commissioner": 200, "evaluator": 200, "partnership_reviewer": 200},
    ),
    ("evaluation:place", "/evaluation/{evaluating}/", "get", {**signed_in(404), "evaluator": 200}),
    (
        "evaluation:bid",
        "/evaluation/{evaluating}/bids/{evaluating_submission}/",
        "get",
        {**signed_in(404), "evaluator": 200},
    ),
    ("evaluation:check", "/evaluation/{evaluating}/check/", "get", {**signed_in(404), "evaluator": 200}),
    ("evaluation:scale", "/administration/scoring-scale/", "get", admins_only()),
    # After the award: {lettered} is awarded and its letter to the provider's bid has been sent; the
    # provider has a survey invitation whose secret is {lettered_survey}. Before the award ({opened})
    # nobody reaches the letters or the results.
    ("feedback:letters", "/commissioning/opportunities/{lettered}/evaluation/letters/", "get", commissioners()),
    ("feedback:letters", "/commissioning/opportunities/{opened}/evaluation/letters/", "get", nobody()),
    (
        "feedback:letters-send",
        "/commissioning/opportunities/{lettered}/evaluation/letters/send/",
        "post",
        commissioners(302),
    ),
    (
        "feedback:letter",
        "/commissioning/opportunities/{lettered}/evaluation/letters/{lettered_letter}/",
        "get",
        commissioners(),
    ),
    (
        "feedback:letter",
        "/commissioning/opportunities/{lettered}/evaluation/letters/{lettered_letter}/",
        "post",
        commissioners(302),
    ),
    (
        "feedback:letter-docx",
        "/commissioning/opportunities/{lettered}/evaluation/letters/{lettered_letter}/letter.docx",
        "get",
        commissioners(),
    ),
    ("feedback:lessons", "/commissioning/opportunities/{lettered}/evaluation/lessons/", "get", commissioners()),
    ("feedback:bid-results", "/bids/{lettered_submission}/results/", "get", bidders()),
    ("feedback:bid-results", "/bids/{opened_submission}/results/", "get", nobody()),
    ("feedback:bid-letter", "/bids/{lettered_submission}/letters/{lettered_letter}/", "get", bidders()),
    (
        "feedback:bid-letter-docx",
        "/bids/{lettered_submission}/letters/{lettered_letter}/letter.docx",
        "get",
        bidders(),
    ),
    ("feedback:survey", "/surveys/{lettered_survey}/", "get", everyone(200)),
    ("feedback:survey", "/surveys/not-a-real-token/", "get", everyone(404)),
    ("api", "/api/v1/organisations", "get", everyone(200)),
    ("api", "/api/v1/organisations/{verified}", "get", everyone(200)),
    ("api", "/api/v1/organisations/{pending}", "get", everyone(404)),
    ("api", "/api/v1/me", "get", {**dict.fromkeys(SIGNED_IN, 200), "anonymous": 401}),
    ("api", "/api/v1/code/rules", "get", everyone(200)),
    ("api", "/api/v1/code/rules/PR-5", "get", everyone(200)),
    # Records: each token holder lists their own bodies' (none for most); one record is read as on its page.
    # planning: pipeline. {plan} is the commissioner's plan on the pipeline, overlapping another body's
    # ({plan_overlap}), with a partner ({plan_partner}); {plan_draft} is their draft, on which the provider is
    # a partner, so its people see it and nobody else but its commissioners does.
    ("planning:pipeline", "/pipeline/", "get", everyone(200)),
    ("planning:feed", "/pipeline/feed.atom", "get", everyone(200)),
    ("planning:csv", "/pipeline/pipeline.csv", "get", everyone(200)),
    ("planning:timeline", "/pipeline/timeline/", "get", everyone(200)),
    ("planning:detail", "/pipeline/{plan}/", "get", everyone(200)),
    (
        "planning:detail",
        "/pipeline/{plan_draft}/",
        "get",
        {**everyone(404), "commissioner": 200, "provider_admin": 200, "provider_member": 200},
    ),
    ("planning:detail", "/pipeline/CR-2000-0001/", "get", everyone(404)),
    (
        "planning:partnerships",
        "/pipeline/partnerships/",
        "get",
        {**signed_in(404), "provider_admin": 200, "provider_member": 200, "other_provider_admin": 200},
    ),
    ("planning:manage-list", "/pipeline/commissioning/", "get", commissioners()),
    ("planning:create", "/pipeline/commissioning/new/", "get", commissioners()),
    ("planning:manage", "/pipeline/commissioning/{plan}/", "get", commissioners()),
    ("planning:manage", "/pipeline/commissioning/{plan_draft}/", "get", commissioners()),
    ("planning:edit", "/pipeline/commissioning/{plan}/edit/", "get", commissioners()),
    ("planning:publish", "/pipeline/commissioning/{plan_draft}/publish/", "post", commissioners(302)),
    ("planning:planned", "/pipeline/commissioning/{plan}/planned/", "post", commissioners(302)),
    ("planning:check", "/pipeline/commissioning/{plan}/check/", "get", commissioners()),
    ("planning:withdraw", "/pipeline/commissioning/{plan}/withdraw/", "get", commissioners()),
    ("planning:partners", "/pipeline/commissioning/{plan}/partners/", "get", commissioners()),
    (
        "planning:partner-remove",
        "/pipeline/commissioning/{plan}/partners/{plan_partner}/remove/",
        "post",
        commissioners(302),
    ),
    ("planning:overlap", "/pipeline/commissioning/overlaps/{plan_overlap}/", "get", commissioners()),
    ("api", "/api/v1/pipeline", "get", everyone(200)),
    ("api", "/api/v1/pipeline/{plan}", "get", everyone(200)),
    (
        "api",
        "/api/v1/pipeline/{plan_draft}",
        "get",
        {**everyone(404), "commissioner": 200, "provider_admin": 200, "provider_member": 200},
    ),
    ("api", "/api/v1/records", "get", {**dict.fromkeys(SIGNED_IN, 200), "anonymous": 401}),
    (
        "api",
        "/api/v1/records/{record}",
        "get",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 200, "administrator": 200},
    ),
    (
        "api",
        "/api/v1/records/{other_record}",
        "get",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "administrator": 200},
    ),
    ("api", "/api/v1/opportunities", "get", everyone(200)),
    ("api", "/api/v1/opportunities/{published}", "get", everyone(200)),
    # A draft is hidden from everyone but its own commissioners, who read it with their token.
    ("api", "/api/v1/opportunities/{draft}", "get", {**everyone(404), "commissioner": 200}),
    # Writes need a token. These rows send no JSON body, so a token holder is refused for the
    # malformed request (400 for a form-encoded POST, 422 for an empty PATCH) before any lookup.
    ("api", "/api/v1/opportunities", "post", {**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401}),
    ("api", "/api/v1/opportunities/{draft}", "patch", {**dict.fromkeys(SIGNED_IN, 422), "anonymous": 401}),
    ("api", "/api/v1/opportunities/{draft}/lots", "post", {**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401}),
    ("api", "/api/v1/opportunities/{draft}/questions", "post", {**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401}),
    ("api", "/api/v1/opportunities/{draft}/events", "post", {**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401}),
    (
        "api",
        "/api/v1/opportunities/{draft}/check",
        "get",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 200},
    ),
    (
        "api",
        "/api/v1/opportunities/{published}/check",
        "get",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 409},
    ),
    (
        "api",
        "/api/v1/opportunities/{draft}/publish",
        "post",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 200},
    ),
    (
        "api",
        "/api/v1/opportunities/{published}/publish",
        "post",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 409},
    ),
    # Submissions: a provider's own, and the commissioner's opening ({published} is sealed, {opened} is opened).
    ("api", "/api/v1/submissions", "get", {**dict.fromkeys(SIGNED_IN, 200), "anonymous": 401}),
    ("api", "/api/v1/submissions/{submission}", "get", bidders_by_token()),
    ("api", "/api/v1/submissions/{opened_submission}", "get", bidders_by_token()),
    # Writes without a JSON body are refused as malformed (400 for a form-encoded POST, 422 for an empty PUT).
    ("api", "/api/v1/submissions", "post", {**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401}),
    ("api", "/api/v1/submissions/{submission}/lots", "put", {**dict.fromkeys(SIGNED_IN, 422), "anonymous": 401}),
    ("api", "/api/v1/submissions/{submission}/answers/1", "put", {**dict.fromkeys(SIGNED_IN, 422), "anonymous": 401}),
    ("api", "/api/v1/submissions/{submission}/submit", "post", {**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401}),
    (
        "api",
        "/api/v1/opportunities/{published}/submissions",
        "get",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 403},
    ),
    (
        "api",
        "/api/v1/opportunities/{opened}/submissions",
        "get",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 200},
    ),
    (
        "api",
        "/api/v1/opportunities/{published}/submissions/open",
        "post",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 409},
    ),
    (
        "api",
        "/api/v1/opportunities/{opened}/submissions/open",
        "post",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 200},
    ),
    # After the award: public awards, and a bidder's own results and letters (404 before the award).
    ("api", "/api/v1/awards", "get", everyone(200)),
    ("api", "/api/v1/submissions/{lettered_submission}/results", "get", bidders_by_token()),
    ("api", "/api/v1/submissions/{lettered_submission}/letters", "get", bidders_by_token()),
    (
        "api",
        "/api/v1/submissions/{opened_submission}/results",
        "get",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401},
    ),
    ("api", "/api/v1/openapi.json", "get", everyone(200)),
    ("api", "/api/v1/docs", "get", everyone(200)),
    # Contracts and grant agreements: the commissioner's pages (an administrator reads, never acts), the provider's.
    (
        "contracts:commissioner-list",
        "/contracts/commissioning/",
        "get",
        {**signed_in(404), "commissioner": 200, "administrator": 200},
    ),
    ("contracts:agreement-new", "/contracts/commissioning/new/", "get", commissioners()),
    ("contracts:agreement", "/contracts/commissioning/{agreement}/", "get", {**commissioners(), "administrator": 200}),
    (
        "contracts:agreement",
        "/contracts/commissioning/{agreement_draft}/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    ("contracts:agreement-edit", "/contracts/commissioning/{agreement_draft}/edit/", "get", commissioners()),
    ("contracts:agreement-kpis", "/contracts/commissioning/{agreement_draft}/kpis/", "get", commissioners()),
    ("contracts:agreement-check", "/contracts/commissioning/{agreement_draft}/check/", "get", commissioners()),
    ("contracts:agreement-withdraw", "/contracts/commissioning/{agreement}/withdraw/", "get", commissioners()),
    (
        "contracts:agreement-docx",
        "/contracts/commissioning/{agreement}/agreement.docx",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    (
        "contracts:agreement-own-document",
        "/contracts/commissioning/{agreement_draft}/document/",
        "get",
        commissioners(),
    ),
    # The matrix's agreements have no own document: its file is 404 for everyone, after the access check.
    ("contracts:agreement-own-document-file", "/contracts/commissioning/{agreement}/document/file", "get", nobody()),
    ("contracts:provider-own-document", "/contracts/yours/{agreement}/document/file", "get", nobody()),
    ("contracts:provider-returns", "/contracts/yours/{agreement}/returns/", "get", bidders()),
    ("contracts:provider-return", "/contracts/yours/{agreement}/returns/1/", "get", bidders()),
    ("contracts:provider-return-section", "/contracts/yours/{agreement}/returns/1/people/", "get", bidders()),
    ("contracts:provider-return-section", "/contracts/yours/{agreement}/returns/1/story/", "get", bidders()),
    ("contracts:provider-return-section", "/contracts/yours/{agreement}/returns/1/nonsense/", "get", nobody()),
    ("contracts:provider-return-check", "/contracts/yours/{agreement}/returns/1/check/", "get", bidders()),
    ("contracts:provider-return", "/contracts/yours/{agreement_draft}/returns/1/", "get", nobody()),
    (
        "contracts:agreement-returns",
        "/contracts/commissioning/{agreement}/returns/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    (
        "contracts:return-review",
        "/contracts/commissioning/{agreement}/returns/1/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    ("contracts:return-review", "/contracts/commissioning/{agreement}/returns/99/", "get", nobody()),
    (
        "contracts:agreement-payments",
        "/contracts/commissioning/{agreement}/payments/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    ("contracts:agreement-payment", "/contracts/commissioning/{agreement}/payments/1/", "get", commissioners()),
    ("contracts:agreement-payment", "/contracts/commissioning/{agreement}/payments/999/", "get", nobody()),
    ("contracts:provider-payments", "/contracts/yours/{agreement}/payments/", "get", bidders()),
    ("contracts:beneficiary-feedback", "/contracts/feedback/{agreement_feedback}/", "get", everyone(200)),
    ("contracts:beneficiary-feedback", "/contracts/feedback/not-a-route/", "get", everyone(404)),
    ("contracts:poster", "/contracts/{agreement}/poster/", "get", {**bidders(), "commissioner": 200}),
    (
        "contracts:agreement-feedback",
        "/contracts/commissioning/{agreement}/feedback/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    ("contracts:provider-feedback", "/contracts/yours/{agreement}/feedback/", "get", bidders()),
    (
        "contracts:calendar",
        "/contracts/yours/calendar/",
        "get",
        {**signed_in(404), "provider_member": 200, "provider_admin": 200, "other_provider_admin": 200},
    ),
    ("contracts:calendar-ics", "/contracts/calendar/not-a-real-address.ics", "get", everyone(404)),
    (
        "contracts:provider-monitoring",
        "/contracts/commissioning/providers/{verified}/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    ("contracts:provider-monitoring", "/contracts/commissioning/providers/{pending}/", "get", nobody()),
    # A party's own agreements through the API: its commissioners (and administrators) and its provider's people.
    ("api", "/api/v1/agreements", "get", {**dict.fromkeys(SIGNED_IN, 200), "anonymous": 401}),
    (
        "api",
        "/api/v1/agreements/{agreement}",
        "get",
        {**bidders_by_token(), "commissioner": 200, "administrator": 200},
    ),
    (
        "api",
        "/api/v1/agreements/{agreement_draft}",
        "get",
        {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401, "commissioner": 200, "administrator": 200},
    ),
    # Monitoring returns through the API: the provider's own people only (a draft agreement has none).
    ("api", "/api/v1/contracts/{agreement}/returns", "get", bidders_by_token()),
    ("api", "/api/v1/contracts/{agreement}/returns/1", "get", bidders_by_token()),
    ("api", "/api/v1/contracts/{agreement}/returns/99", "get", {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401}),
    ("api", "/api/v1/contracts/{agreement_draft}/returns", "get", {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 401}),
    (
        "api",
        "/api/v1/contracts/{agreement}/returns/1/submit",
        "post",
        {**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401},
    ),
    # A body's payments compliance figures: its commissioners, and administrators for any body.
    (
        "contracts:payments-compliance",
        "/contracts/commissioning/payments/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    (
        "contracts:payments-compliance-csv",
        "/contracts/commissioning/payments/invoices.csv",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    # Variations and inflation: the agreement's commissioners propose; a second person decides (the matrix's
    # variation 1 was proposed by its commissioner, so only the administrator may decide it).
    (
        "contracts:agreement-variations",
        "/contracts/commissioning/{agreement}/variations/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    (
        "contracts:agreement-variation-new",
        "/contracts/commissioning/{agreement}/variations/new/",
        "get",
        commissioners(),
    ),
    (
        "contracts:agreement-variation-uplift",
        "/contracts/commissioning/{agreement}/variations/uplift/",
        "get",
        commissioners(),
    ),
    (
        "contracts:agreement-variation",
        "/contracts/commissioning/{agreement}/variations/1/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    (
        "contracts:agreement-variation",
        "/contracts/commissioning/{agreement}/variations/1/",
        "post",
        {**signed_in(404), "administrator": 200},
    ),
    ("contracts:agreement-variation", "/contracts/commissioning/{agreement}/variations/99/", "get", nobody()),
    ("contracts:inflation", "/contracts/inflation/", "get", admins_only()),
    ("contracts:inflation-correct", "/contracts/inflation/2024/", "get", admins_only()),
    ("contracts:inflation-correct", "/contracts/inflation/2026/7/", "get", admins_only()),
    ("contracts:inflation-correct", "/contracts/inflation/1999/", "get", nobody()),
    ("contracts:register", "/contracts/", "get", everyone(200)),
    ("contracts:register-csv", "/contracts/register.csv", "get", everyone(200)),
    ("contracts:register-xlsx", "/contracts/register.xlsx", "get", everyone(200)),
    ("contracts:public-agreement", "/contracts/{agreement}/", "get", everyone(200)),
    ("contracts:public-agreement", "/contracts/{agreement_draft}/", "get", everyone(404)),
    ("contracts:award-agreements", "/opportunities/{awarded}/agreements/", "get", commissioners()),
    (
        "contracts:provider-list",
        "/contracts/yours/",
        "get",
        {**signed_in(404), "provider_member": 200, "provider_admin": 200, "other_provider_admin": 200},
    ),
    ("contracts:provider-agreement", "/contracts/yours/{agreement}/", "get", bidders()),
    ("contracts:provider-agreement", "/contracts/yours/{agreement_draft}/", "get", nobody()),
    ("contracts:provider-docx", "/contracts/yours/{agreement}/agreement.docx", "get", bidders()),
    # Performance assessments: the commissioner's page (an administrator reads), the provider's (accepted only).
    (
        "contracts:agreement-performance",
        "/contracts/commissioning/{agreement}/performance/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    ("contracts:provider-performance", "/contracts/yours/{agreement}/performance/", "get", bidders()),
    ("contracts:provider-performance", "/contracts/yours/{agreement_draft}/performance/", "get", nobody()),
    # Shared returns: the council's own return another body's could cover; the council's return another body
    # proposes should cover its own. Only the council's commissioners (an administrator reads).
    (
        "contracts:return-share",
        "/contracts/commissioning/{shared_agreement}/returns/1/share/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    ("contracts:return-share", "/contracts/commissioning/{shared_agreement}/returns/99/share/", "get", nobody()),
    (
        "contracts:return-shares",
        "/contracts/commissioning/{shared_agreement}/returns/2/shares/",
        "get",
        {**commissioners(), "administrator": 200},
    ),
    ("contracts:return-shares", "/contracts/commissioning/{shared_agreement}/returns/99/shares/", "get", nobody()),
    # needs: assessments. {needs_draft} is the council's draft (its commissioner's body), {needs_done} a completed
    # one; each has a piece of evidence with a file. {record} is the council's record, with a co-production activity.
    ("needs:public-list", "/needs/", "get", everyone(200)),
    ("needs:public-detail", "/needs/{needs_done}/", "get", everyone(200)),
    ("needs:public-detail", "/needs/{needs_draft}/", "get", {**everyone(404), "commissioner": 200}),
    ("needs:evidence-file", "/needs/{needs_done}/evidence/{needs_done_evidence}/file/", "get", everyone(200)),
    (
        "needs:evidence-file",
        "/needs/{needs_draft}/evidence/{needs_draft_evidence}/file/",
        "get",
        {**everyone(404), "commissioner": 200},
    ),
    ("needs:list", "/needs/commissioning/", "get", commissioners()),
    ("needs:new", "/needs/commissioning/new/", "get", commissioners()),
    ("needs:assessment", "/needs/commissioning/{needs_draft}/", "get", commissioners()),
    ("needs:assessment", "/needs/commissioning/{needs_done}/", "get", commissioners()),
    ("needs:edit", "/needs/commissioning/{needs_draft}/edit/", "get", commissioners()),
    ("needs:edit", "/needs/commissioning/{needs_done}/edit/", "get", commissioners(302)),
    ("needs:check", "/needs/commissioning/{needs_draft}/check/", "get", commissioners()),
    ("needs:evidence-new", "/needs/commissioning/{needs_draft}/evidence/new/", "get", commissioners()),
    (
        "needs:evidence-edit",
        "/needs/commissioning/{needs_draft}/evidence/{needs_draft_evidence}/",
        "get",
        commissioners(),
    ),
    (
        "needs:evidence-remove",
        "/needs/commissioning/{needs_draft}/evidence/{needs_draft_evidence}/remove/",
        "get",
        commissioners(),
    ),
    ("needs:figures", "/needs/commissioning/{needs_draft}/figures/", "get", commissioners()),
    (
        "needs:figure-remove",
        "/needs/commissioning/{needs_draft}/figures/{needs_draft_figure}/remove/",
        "post",
        commissioners(302),
    ),
    ("needs:coproduction-new", "/needs/commissioning/{needs_draft}/co-production/new/", "get", commissioners()),
    (
        "needs:coproduction-edit",
        "/needs/commissioning/{needs_draft}/co-production/{needs_draft_activity}/",
        "get",
        commissioners(),
    ),
    (
        "needs:coproduction-remove",
        "/needs/commissioning/{needs_draft}/co-production/{needs_draft_activity}/remove/",
        "get",
        commissioners(),
    ),
    ("needs:record-coproduction", "/needs/records/{record}/co-production/", "get", commissioners()),
    ("needs:record-coproduction", "/needs/records/{other_record}/co-production/", "get", nobody()),
    ("needs:record-coproduction-new", "/needs/records/{record}/co-production/new/", "get", commissioners()),
    (
        "needs:record-coproduction-edit",
        "/needs/records/{record}/co-production/{needs_record_activity}/",
        "get",
        commissioners(),
    ),
    (
        "needs:record-coproduction-remove",
        "/needs/records/{record}/co-production/{needs_record_activity}/remove/",
        "get",
        commissioners(),
    ),
    ("api", "/api/v1/assessments", "get", everyone(200)),
    ("api", "/api/v1/assessments/{needs_done}", "get", everyone(200)),
    ("api", "/api/v1/assessments/{needs_draft}", "get", {**everyone(404), "commissioner": 200}),
    # needs: assessments (end)
    # needs: reviews. The public list and published reviews are everyone's; a draft only its body's commissioners';
    # the body's pages are its commissioners' alone (an administrator who is not one gets 404).
    ("reviews:list", "/reviews/", "get", everyone(200)),
    ("reviews:detail", "/reviews/{review_open}/", "get", everyone(200)),
    ("reviews:detail", "/reviews/{review_open}/", "post", everyone(200)),
    ("reviews:detail", "/reviews/{review_draft}/", "get", {**everyone(404), "commissioner": 200}),
    ("reviews:detail", "/reviews/{review_draft}/", "post", everyone(404)),
    ("reviews:confirm", "/reviews/confirm/not-a-real-token/", "get", everyone(404)),
    ("reviews:confirm", "/reviews/confirm/{review_token}/", "get", everyone(200)),
    ("reviews:commissioner-list", "/reviews/commissioning/", "get", commissioners()),
    ("reviews:new", "/reviews/commissioning/new/", "get", commissioners()),
    ("reviews:manage", "/reviews/commissioning/{review_draft}/", "get", commissioners()),
    ("reviews:manage", "/reviews/commissioning/{review_open}/", "get", commissioners()),
    ("reviews:edit", "/reviews/commissioning/{review_draft}/edit/", "get", commissioners()),
    ("reviews:edit", "/reviews/commissioning/{review_open}/edit/", "get", commissioners(302)),
    ("reviews:publish", "/reviews/commissioning/{review_draft}/publish/", "get", commissioners()),
    ("reviews:extend", "/reviews/commissioning/{review_open}/extend/", "get", commissioners()),
    ("reviews:moderate", "/reviews/commissioning/{review_open}/moderate/", "get", commissioners()),
    (
        "reviews:comment-remove",
        "/reviews/commissioning/{review_open}/moderate/{review_comment}/",
        "get",
        commissioners(),
    ),
    ("reviews:comment-remove", "/reviews/commissioning/{review_open}/moderate/999999/", "get", nobody()),
    ("reviews:answers", "/reviews/commissioning/{review_closed}/answers/", "get", commissioners()),
    ("reviews:answers", "/reviews/commissioning/{review_draft}/answers/", "get", nobody()),
    ("reviews:answer-edit", "/reviews/commissioning/{review_closed}/answers/1/", "get", commissioners()),
    ("reviews:answer-edit", "/reviews/commissioning/{review_closed}/answers/99/", "get", nobody()),
    ("reviews:answers-publish", "/reviews/commissioning/{review_closed}/answers/publish/", "get", commissioners()),
    ("api", "/api/v1/reviews", "get", everyone(200)),
    ("api", "/api/v1/reviews/{review_open}", "get", everyone(200)),
    ("api", "/api/v1/reviews/{review_draft}", "get", everyone(404)),
    ("api", "/api/v1/reviews/{review_open}/comments", "post", {**dict.fromkeys(SIGNED_IN, 400), "anonymous": 401}),
    # end of needs: reviews
]

# Routes deliberately outside the matrix: the technical admin site (superusers only,
# guarded by Django's own staff check) and the static files.
EXEMPT_PREFIXES = ("django-admin/", "static/")


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    provider = VerifiedProviderFactory()
    IdentifierFactory(organisation=provider)
    pending = ProviderFactory(status=OrganisationStatus.PENDING)
    council = CommissionerOrgFactory()
    people = {
        "anonymous": None,
        "provider_member": person_with_role(Role.PROVIDER_MEMBER, provider),
        "provider_admin": person_with_role(Role.PROVIDER_ADMIN, provider),
        "other_provider_admin": person_with_role(Role.PROVIDER_ADMIN),
        "commissioner": person_with_role(Role.COMMISSIONER, council),
        "evaluator": person_with_role(Role.EVALUATOR, council),
        "partnership_reviewer": person_with_role(Role.PARTNERSHIP_REVIEWER, council),
        "administrator": person_with_role(Role.ADMINISTRATOR, council),
    }
    # someone else registered the pending organisation
    person_with_role(Role.PROVIDER_ADMIN, pending)
    from commissioning.opportunities.tests.factories import draft

    draft_opportunity = draft(people["commissioner"], lots=1)
    from commissioning.opportunities.tests.factories import explain_pending

    explanation = explain_pending(
        people["commissioner"],
        draft(people["commissioner"], lots=1, compact_clause_in_terms=False),
        "PR-11",
        confirmer=people["administrator"],
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    from commissioning.opportunities import services as opportunity_services

    to_publish = draft(people["commissioner"], lots=1)
    document = opportunity_services.document_add(
        actor=people["commissioner"],
        opportunity=to_publish,
        kind="specification",
        title="Specification",
        uploaded=SimpleUploadedFile("spec.pdf", b"%PDF-1.7 spec"),
    )
    published_opportunity = opportunity_services.opportunity_publish(
        actor=people["commissioner"], opportunity=to_publish
    )
    tokens = {role: services.api_token_create(actor=user, name="matrix")[1] for role, user in people.items() if user}
    from commissioning.evidence.tests.factories import record

    evidence = record(people["provider_admin"], provider, "insurance_public")
    from commissioning.evidence.demo import pdf_upload
    from commissioning.submissions import services as submission_services
    from commissioning.submissions.tests.factories import complete, submit

    submission = complete(published_opportunity, people["provider_admin"], provider)
    submit(people["provider_admin"], submission)
    attachment = submission_services.attachment_add(
        actor=people["provider_admin"], submission=submission, title="Plan", upload=pdf_upload("plan.pdf", "plan")
    )
    partner = people["other_provider_admin"].memberships.get().organisation
    member = submission_services.member_invite(
        actor=people["provider_admin"], submission=submission, organisation=partner, role="Outreach"
    )
    from commissioning.records.tests.factories import record_for

    other_record = record_for(person_with_role(Role.COMMISSIONER, CommissionerOrgFactory()))
    return {
        "record": draft_opportunity.record.reference,
        "other_record": other_record.reference,
        # The draft's options appraisal (its factory weighs a grant and a contract and chooses the grant).
        "appraisal_option": draft_opportunity.record.appraisal.options.order_by("pk").last().pk,
        "provider": provider,
        "pending": pending,
        "people": people,
        "tokens": tokens,
        "draft": draft_opportunity.reference,
        "published": published_opportunity.reference,
        "event": published_opportunity.events.first().pk,
        "document": document.pk,
        "evidence": evidence.pk,
        "submission": submission.public_id,
        "commitment": submission.commitments.first().pk,
        "attachment": attachment.pk,
        "member": member.pk,
        "explanation": explanation.pk,
    }


def _opened(world) -> dict:
    """An opportunity whose deadline has passed, with a bid by the provider, opened by the commissioner.

    Built only for the rows that name it: it is made in the past, so its deadline is behind us now.
    """
    from datetime import timedelta

    import time_machine

    from commissioning.core import clock
    from commissioning.evidence.demo import pdf_upload
    from commissioning.evidence.tests.factories import record
    from commissioning.submissions import services as submission_services
    from commissioning.submissions.tests.factories import ITEMS, complete, submit, tender

    people, provider = world["people"], world["provider"]
    bidder = people["provider_admin"]
    with time_machine.travel(clock.now() - timedelta(days=90), tick=False):
        opportunity = tender(people["commissioner"])
        for item in ITEMS:
            record(bidder, provider, item)
        submission = complete(opportunity, bidder, provider)
        attachment = submission_services.attachment_add(
            actor=bidder, submission=submission, title="Plan", upload=pdf_upload("plan.pdf", "plan")
        )
        submit(bidder, submission)
    submission_services.submissions_open(actor=people["commissioner"], opportunity=opportunity)
    return {
        "opened": opportunity.reference,
        "opened_submission": submission.public_id,
        "opened_attachment": attachment.pk,
        "opened_evidence": submission.confirmations.first().version_id,
    }


def _evaluated(world, *, award: bool) -> dict:
    """An opened tender with the provider's bid, evaluated: the evaluator on the panel has declared no
    conflict and submitted their scores, and every answer is moderated; with ``award``, a second
    commissioner approved the recommendation and the award decision started the standstill.
    """
    from commissioning.evaluation import services as evaluation_services
    from commissioning.evaluation.tests.factories import moderate_everything, score_everything

    people = world["people"]
    commissioner = people["commissioner"]
    opened = _opened(world)
    opportunity = Opportunity.objects.get(reference=opened["opened"])
    evaluation = evaluation_services.evaluation_start(actor=commissioner, opportunity=opportunity)
    panelist = evaluation_services.panelist_appoint(actor=commissioner, evaluation=evaluation, user=people["evaluator"])
    score_everything(evaluation, panelist, lambda submission, question: 3)
    evaluation.refresh_from_db()
    moderate_everything(evaluation, commissioner, lambda submission, question: 3)
    if award:
        second = person_with_role(Role.COMMISSIONER, opportunity.lead_commissioner)
        evaluation = evaluation_services.evaluation_recommend(
            actor=commissioner, evaluation=evaluation, note="The only bid"
        )
        evaluation = evaluation_services.evaluation_approve(actor=second, evaluation=evaluation)
        evaluation_services.evaluation_award(actor=commissioner, evaluation=evaluation)
        return {"awarded": opportunity.reference}
    return {"evaluating": opportunity.reference, "evaluating_submission": opened["opened_submission"]}


def _lettered(world) -> dict:
    """An awarded tender (as ``_evaluated`` makes it) whose letter to the provider's bid has been sent,
    and a survey invitation for the provider whose secret is known here (a real one is only e-mailed).
    """
    from commissioning.core import clock
    from commissioning.evaluation.models import Evaluation
    from commissioning.feedback.models import Letter, SurveyInvitation, SurveyRole
    from commissioning.feedback.services import letters_send_all
    from commissioning.feedback.surveys import token_digest

    awarded = _evaluated(world, award=True)
    evaluation = Evaluation.objects.get(opportunity__reference=awarded["awarded"])
    letters_send_all(actor=world["people"]["commissioner"], evaluation=evaluation)
    letter = Letter.objects.get(evaluation=evaluation)
    SurveyInvitation.objects.create(
        evaluation=evaluation,
        organisation=world["provider"],
        role=SurveyRole.SUCCESSFUL,
        token_digest=token_digest("matrix-survey-secret"),
        sent_at=clock.now(),
    )
    return {
        "lettered": awarded["awarded"],
        "lettered_submission": letter.submission.public_id,
        "lettered_letter": letter.pk,
        "lettered_survey": "matrix-survey-secret",
    }


def _agreed(world) -> dict:
    """The council's agreements with the provider: one accepted (its returns and payments written), one draft.

    ``agreement_feedback`` is the accepted agreement's public feedback address's secret part. The accepted
    one has variation 1, a change of scope its commissioner proposed, waiting for a second person.
    """
    from commissioning.contracts.tests.factories import direct_agreement
    from commissioning.contracts.variations import variation_propose

    people, provider = world["people"], world["provider"]
    running = direct_agreement(people["commissioner"], provider, accept_as=people["provider_admin"])
    drafted = direct_agreement(people["commissioner"], provider, title="Befriending in Bramley")
    variation_propose(
        actor=people["commissioner"],
        agreement=running,
        kind="scope",
        scope_change="Sessions in Bramley as well as Armley",
        reason="The Bramley group closed",
    )
    return {
        "agreement": running.reference,
        "agreement_draft": drafted.reference,
        "agreement_feedback": running.feedback_token,
    }


def _shared(world) -> dict:
    """The provider funded by the council and by another body, each agreement accepted with two returns.

    The council's return 1 is not started and the other body's return 1 is submitted, so it could cover it;
    the council's return 2 is submitted and the other body's commissioner has proposed that it covers their
    own return 2, waiting for the council to agree.
    """
    from commissioning.contracts import returns, sharing
    from commissioning.contracts.tests.factories import direct_agreement
    from commissioning.contracts.tests.test_returns import complete
    from commissioning.opportunities.tests.factories import commissioner_at

    people, provider = world["people"], world["provider"]
    admin = people["provider_admin"]
    note = "One return a period, shared with the provider's other funder where we agree it"
    council = direct_agreement(
        people["commissioner"], provider, accept_as=admin, title="Digital skills", coordination_note=note
    )
    other = direct_agreement(
        commissioner_at(),
        provider,
        accept_as=admin,
        title="Digital inclusion after a hospital stay",
        coordination_note=note,
    )
    for agreement, number in ((other, 1), (council, 2)):
        returns.return_submit(
            actor=admin, monitoring_return=agreement.returns.get(number=number), data=complete(agreement)
        )
    sharing.share_propose(
        actor=other.commissioner_person,
        monitoring_return=other.returns.get(number=2),
        covering=council.returns.get(number=2),
    )
    return {"shared_agreement": council.reference, "shared_other": other.reference}


# needs: assessments
def _needs(world) -> dict:
    """The council's draft assessment and a completed one, each with evidence carrying a file, a ward figure and
    a co-production activity; and an activity recorded for the council's record ``world["record"]``."""
    from commissioning.evidence.demo import pdf_upload
    from commissioning.needs import services as needs_services
    from commissioning.needs.tests.factories import activity_for, assessment_for, complete
    from commissioning.records.models import CommissioningRecord

    commissioner = world["people"]["commissioner"]
    made = {}
    for key in ("needs_draft", "needs_done"):
        assessment = assessment_for(commissioner)
        evidence = needs_services.evidence_add(
            actor=commissioner,
            assessment=assessment,
            data={
                "source": "Carers Leeds",
                "sector": "third_sector",
                "dated": assessment.created_at.date(),
                "shows": "S",
            },
            upload=pdf_upload("report.pdf", "report"),
        )
        figure = needs_services.ward_figure_add(
            actor=commissioner, assessment=assessment, ward_code="Armley", indicator="Carers", year=2025, value="4"
        ).figure
        activity = activity_for(commissioner, assessment)
        if key == "needs_done":
            complete(commissioner, assessment)
        made |= {key: assessment.reference, f"{key}_evidence": evidence.pk}
        made |= {f"{key}_figure": figure.pk, f"{key}_activity": activity.pk}
    record = CommissioningRecord.objects.get(reference=world["record"])
    made["needs_record_activity"] = activity_for(commissioner, record=record).pk
    return made


# needs: assessments (end)
def _reviewed(world) -> dict:
    """The council's open reviews: a draft; one open with a published comment and one waiting for its link;
    one closed with two comments, the first in answer group 1."""
    from commissioning.needs import reviews
    from commissioning.needs.tests.review_factories import closed_review, comment, draft_review, open_review

    commissioner = world["people"]["commissioner"]
    drafted = draft_review(commissioner, title="A draft review")
    opened = open_review(commissioner, title="An open review")
    published = comment(opened)
    _, token = reviews.comment_post(review=opened, name="Ann", email="ann@example.org", text="Waiting")
    closed = closed_review(commissioner, title="A closed review", comments=2)
    first = closed.comments.order_by("pk").first()
    reviews.answer_save(actor=commissioner, review=closed, you_said="A", we_did="B", comment_ids=[first.pk])
    return {
        "review_draft": drafted.reference,
        "review_open": opened.reference,
        "review_closed": closed.reference,
        "review_comment": published.pk,
        "review_token": token,
    }


def _planned(world) -> dict:
    """The commissioner's plan on the pipeline overlapping another body's, with a partner; and their draft
    with the provider as its partner."""
    from commissioning.planning import services as planning_services
    from commissioning.planning.models import Overlap
    from commissioning.planning.tests.factories import plan_for

    commissioner = world["people"]["commissioner"]
    plan = plan_for(commissioner, publish=True)
    plan_for(person_with_role(Role.COMMISSIONER, CommissionerOrgFactory()), publish=True)
    draft = plan_for(commissioner, title="A draft plan")
    for on in (plan, draft):
        partner = planning_services.partner_add(
            actor=commissioner, plan=on, organisation=world["provider"], stage="design", involvement="Design"
        )
        if on is plan:
            plan_partner = partner.pk
    return {
        "plan": plan.record.reference,
        "plan_draft": draft.record.reference,
        "plan_partner": plan_partner,
        "plan_overlap": Overlap.objects.get(first=plan).pk,
    }


def _route_names(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            route = prefix + str(entry.pattern)
            if route.startswith("api/v1/"):
                yield "api", route
                continue
            yield from _route_names(entry, route, ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name, route


def test_every_route_is_in_the_matrix():
    covered = {row[0] for row in MATRIX}
    missing = {
        name or route
        for name, route in _route_names()
        if not route.startswith(EXEMPT_PREFIXES) and (name or route) not in covered
    }
    assert not missing, f"add these routes to the permission matrix: {sorted(missing)}"


@pytest.mark.parametrize(("name", "path", "method", "expected"), MATRIX, ids=[f"{m} {p}" for _, p, m, _ in MATRIX])
def test_each_role_gets_what_the_matrix_says(client, world, name, path, method, expected):
    token_row = world["people"]["provider_admin"].api_tokens.first().pk
    url = path.format(
        verified=world["provider"].slug,
        pending=world["pending"].slug,
        token=token_row,
        draft=world["draft"],
        published=world["published"],
        event=world["event"],
        document=world["document"],
        evidence=world["evidence"],
        submission=world["submission"],
        commitment=world["commitment"],
        attachment=world["attachment"],
        member=world["member"],
        explanation=world["explanation"],
        record=world["record"],
        other_record=world["other_record"],
        appraisal_option=world["appraisal_option"],
        **(_opened(world) if "{opened" in path else {}),
        **(_evaluated(world, award=False) if "{evaluating" in path else {}),
        **(_evaluated(world, award=True) if "{awarded" in path else {}),
        **(_lettered(world) if "{lettered" in path else {}),
        **(_agreed(world) if "{agreement" in path or "/providers/" in path else {}),
        **(_shared(world) if "{shared" in path else {}),
        **(_needs(world) if "{needs_" in path else {}),  # needs: assessments
        **(_reviewed(world) if "{review" in path else {}),
        **(_planned(world) if "{plan" in path else {}),
    )
    wrong = []
    stored = []
    for role in ROLES:
        user = world["people"][role]
        client.logout()
        headers = {}
        if url.startswith("/api/"):
            if user is not None:
                headers["HTTP_AUTHORIZATION"] = f"Bearer {world['tokens'][role]}"
        elif user is not None:
            client.force_login(user)
        response = getattr(client, method)(url, **headers)
        if response.status_code != expected[role]:
            wrong.append(f"{role}: got {response.status_code}, expected {expected[role]}")
        # Whatever a signed-in person or a token holder is answered is theirs: no cache may keep it.
        directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        if user is not None and not {"private", "no-store"} <= directives:
            stored.append(f"{role}: Cache-Control is {response.get('Cache-Control', 'not set')!r}")
    assert not wrong, f"{method.upper()} {url}: " + "; ".join(wrong)
    assert not stored, f"{method.upper()} {url} may be stored: " + "; ".join(stored)
