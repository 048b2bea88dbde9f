"""Every form page, for the roles that may use it, against generated bad input.

The routes come from the URL resolver: each one whose view takes a POST is either
fuzzed here or listed in ``EXCLUDED`` with the reason, so a new form cannot escape.
Its page and roles come from the permission matrix (the rows where a role gets 200),
and its fields from the page itself. Each example posts generated values (blank,
very long, invisible characters, direction overrides, line breaks, numbers like
``1e4`` or ``-0``, 29 digits, far-off dates, links with a user name) and asserts:

- never a server error;
- a refused form shows the GOV.UK error summary, each message linking to its field;
- no page shows a Django default message ("This field is required.");
- a value the product refuses everywhere (see :func:`fuzzing.must_refuse`) is refused on its field;
- a refused post changed no saved row.
"""

import copy
from urllib.parse import urlsplit

import pytest
from django import forms
from django.db import transaction
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.access import test_permission_matrix as matrix

from . import fuzzing
from .conftest import fill
from .html import read

# Marked so that the test database is set up even when only these tests run.
pytestmark = pytest.mark.django_db

EXAMPLES = 4
BLIND_EXAMPLES = 1
# Pages that every role reaches are posted to as a spread of roles, so the fuzzer stays quick.
MOST_ROLES = 3
HTTP_METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE"}

# Routes that take a POST from a form on another page: the page it is on.
FORM_ON = {
    "accounts:sign-out": "/account/",
    "planning_appraisal:choose": "/commissioning/records/{record}/options/",
    "planning_appraisal:option": "/commissioning/records/{record}/options/{appraisal_option}/",
    "planning_appraisal:option-remove": "/commissioning/records/{record}/options/",
    "accounts:api-token-revoke": "/account/",
    "opportunities:interest": "/opportunities/{published}/",
    "opportunities:ask": "/opportunities/{published}/",
    "opportunities:book": "/opportunities/{published}/",
    "submissions:commitment-remove": "/bids/{submission}/commitments/",
    "submissions:attachment-remove": "/bids/{submission}/files/",
    "submissions:member-remove": "/bids/{submission}/consortium/",
    "feedback:letters-send": "/commissioning/opportunities/{lettered}/evaluation/letters/",
    "needs:figure-remove": "/needs/commissioning/{needs_draft}/figures/",  # needs: assessments
    # The comment form is on a review while it is open (a draft's preview has none).
    "reviews:detail": "/reviews/{review_open}/",
    # planning: pipeline
    "planning:publish": "/pipeline/commissioning/{plan_draft}/",
    "planning:planned": "/pipeline/commissioning/{plan}/",
    "planning:partner-remove": "/pipeline/commissioning/{plan}/partners/",
}

# Routes that take a POST but are not fuzzed here, and why.
EXCLUDED = {
    "accounts:password-reset-confirm": "needs a real reset link; the matrix's link is invalid, so it shows no form",
    "accounts:invitation": "needs a real invitation secret, which is only e-mailed; the matrix's gives 404",
    "contracts:provider-return-check": (
        "its one button submits what the section pages saved; its refusals link to the section pages, which are fuzzed"
    ),
}


# Routes that take a POST but whose pages, in the matrix's world, show no form posting to them:
# each is sent generated fields blind (never a server error, never a Django default message).
NO_FORM = "a page with no form of its own: its view answers any method, and a POST gets the page"
PAST_IT = "the matrix's world is past the state in which the page shows its form"
BLIND = {
    "accounts:administration": NO_FORM,
    "accounts:organisation": NO_FORM,
    "accounts:sign-up-done": NO_FORM,
    "accounts:verification-list": NO_FORM,
    "audit:list": NO_FORM,
    "review:dashboard": NO_FORM,
    "opportunities:feed": NO_FORM,
    "planning:feed": NO_FORM,
    "opportunities:manage": NO_FORM,
    "submissions:evidence": "the matrix's opportunity asks for no standard items, so there is nothing to confirm",
    "opportunities:clarifications": "no question has been asked in the matrix's world, so there is nothing to answer",
    "submissions:opening": "the sealed one is not yet due and the other is opened already",
    "evaluation:panel": PAST_IT,
    "evaluation:place": "the evaluator has declared and submitted in the matrix's world",
    "evaluation:check": "the evaluator has declared and submitted in the matrix's world",
    "evaluation:prices": "no bid in the matrix's world is abnormally low",
    "evaluation:approve": PAST_IT,
    "evaluation:send-back": PAST_IT,
    "evaluation:award": PAST_IT,
    "feedback:letter": "the matrix's letter is sent already",
    "feedback:letters-send": "the matrix's letters are sent already",
    "contracts:award-agreements": "the matrix's award has no standstill's end yet, so there is nothing to draft",
    "contracts:provider-agreement": "the matrix's agreement is accepted already",
    "contracts:return-review": "the matrix's returns are not submitted, so there is nothing to review",
    "contracts:agreement-feedback": "nobody has given feedback in the matrix's world, so there is nothing to set aside",
    "contracts:provider-feedback": "nobody has given feedback in the matrix's world, so there is nothing to respond to",
}
BLIND_KEYS = ["action", "reason", "note", "answer", "clarification", "user", "organisation", "score", "confirmed"]


def accepts_post(view) -> bool:
    """Whether a view takes a POST: its method decorator's list, or any method when it has none."""
    if hasattr(view, "view_class"):
        return "post" in view.view_class.http_method_names and hasattr(view.view_class, "post")
    seen, todo = set(), [view]
    while todo:
        f = todo.pop()
        if id(f) in seen or f is None:
            continue
        seen.add(id(f))
        for cell in getattr(f, "__closure__", None) or ():
            try:
                content = cell.cell_contents
            except ValueError:
                continue
            if isinstance(content, list | tuple | set) and content and set(content) <= HTTP_METHODS:
                return "POST" in content
            if callable(content):
                todo.append(content)
        todo.append(getattr(f, "__wrapped__", None))
    return True


def routes(resolver=None, prefix="", namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(matrix.EXEMPT_PREFIXES) or route.startswith("api/v1/"):
            continue
        if isinstance(entry, URLResolver):
            yield from routes(entry, route, entry.namespace or namespace)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or route), entry.callback


POSTABLE = sorted({name for name, view in routes() if accepts_post(view)})


def _pages_for(name: str) -> list[tuple[str, list[str]]]:
    """The pages a route's form is on, each with the roles that reach it (from the matrix)."""
    page_route = None
    if name in FORM_ON:
        path = FORM_ON[name]
        rows = [row for row in matrix.MATRIX if row[1] == path and row[2] == "get"]
    else:
        page_route = name
        rows = [row for row in matrix.MATRIX if row[0] == page_route and row[2] == "get"]
    pages = []
    for _, path, _, expected in rows:
        roles = [role for role, status in expected.items() if status == 200]
        if roles:
            pages.append((path, roles))
    return pages


TARGETS = [
    pytest.param(name, path, roles, id=f"{name} {path}")
    for name in POSTABLE
    if name not in EXCLUDED
    for path, roles in _pages_for(name)
]


def test_every_route_that_takes_a_post_is_fuzzed_or_excluded():
    assert not set(BLIND) & set(EXCLUDED)
    fuzzed = {p.values[0] for p in TARGETS}
    missing = sorted(set(POSTABLE) - fuzzed - set(EXCLUDED))
    assert not missing, (
        "these routes take a POST but no page of theirs is in the permission matrix with a role that gets 200: "
        f"fuzz them (FORM_ON names the page a form is on) or list them in EXCLUDED with the reason: {missing}"
    )
    stale = sorted((set(EXCLUDED) | set(BLIND)) - set(POSTABLE))
    assert not stale, f"EXCLUDED or BLIND names routes that no longer take a POST: {stale}"


class Recorder:
    """Every form a request validated, so the fuzzer knows each field's kind and its errors."""

    def __init__(self):
        self.forms: list[forms.BaseForm] = []

    def __enter__(self):
        original = forms.BaseForm.full_clean
        recorder = self

        def full_clean(form):
            original(form)
            if form not in recorder.forms:
                recorder.forms.append(form)

        self.original = original
        forms.BaseForm.full_clean = full_clean
        return self

    def __exit__(self, *exc):
        forms.BaseForm.full_clean = self.original

    def fields(self) -> dict[str, tuple[forms.BaseForm, str, forms.Field]]:
        found = {}
        for form in self.forms:
            for name, field in form.fields.items():
                found.setdefault(form.add_prefix(name), (form, name, field))
        return found


def _route_of(action: str, page: str) -> str | None:
    path = urlsplit(action).path or urlsplit(page).path
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _rolled_back(call, *args, **kwargs):
    with transaction.atomic():
        try:
            return call(*args, **kwargs)
        finally:
            transaction.set_rollback(True)


def _post(client, url, data, *, multipart):
    # The request is rolled back, so its cookies must be too (signing out or in changes the session).
    cookies = copy.deepcopy(client.cookies)
    try:
        return _send(client, url, data, multipart=multipart)
    finally:
        client.cookies = cookies


def _send(client, url, data, *, multipart):
    with Recorder() as recorder:
        if multipart:
            response = client.post(url, data)
        else:
            from urllib.parse import urlencode

            response = client.post(url, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")
    return response, recorder


def _check(response, recorder, data, baseline, label) -> list[str]:
    """What is wrong with the answer to one post (an empty list when all is well)."""
    problems = []
    assert response.status_code < 500, f"{label}: {response.status_code}"
    html = response.content.decode("utf-8", "replace") if "html" in response.get("Content-Type", "") else ""
    if html and (defaults := fuzzing.django_defaults_in(html)):
        problems.append(f"shows Django's default message(s) {defaults}")
    refused = [form for form in recorder.forms if form.is_bound and form.errors]
    fields = recorder.fields()
    if refused:
        page = read(html) if html else None
        if response.status_code != 200 or page is None or not page.has_summary:
            problems.append(
                f"refused {dict(refused[0].errors)} without the GOV.UK error summary (status {response.status_code})"
            )
        else:
            shown = {text: target for target, text in page.summary_links}
            for form in refused:
                for name, messages in form.errors.items():
                    for message in messages:
                        target = shown.get(str(message))
                        if target is None:
                            problems.append(f"the error summary leaves out {name!r}: {message!r}")
                        elif target not in page.ids and target != "main-content":
                            problems.append(f"the error summary links {message!r} to #{target}, not on the page")
        after = fuzzing.snapshot()
        if changed := fuzzing.changes(baseline, after):
            problems.append(f"a refused post changed saved rows: {changed}")
    for html_name, values in data.items():
        if html_name not in fields:
            continue
        form, name, field = fields[html_name]
        for value in values:
            if fuzzing.must_refuse(field, value) and not form.errors.get(name):
                problems.append(f"accepted {value[:40]!r} for {html_name!r} ({fuzzing.kind_of(field)})")
    return [f"{label}: {p}" for p in problems]


_PAGES: dict[tuple[str, str], tuple[int, list]] = {}


def _forms_on(client, role: str, page_url: str):
    """The forms a role sees on a page (read once: the world is the same for every test)."""
    if (role, page_url) not in _PAGES:
        response = _rolled_back(client.get, page_url)
        forms_ = read(response.content.decode()).forms if response.status_code == 200 else []
        _PAGES[(role, page_url)] = (response.status_code, forms_)
    return _PAGES[(role, page_url)]


def _spread(roles: list[str]) -> list[str]:
    if len(roles) <= MOST_ROLES:
        return roles
    step = (len(roles) - 1) / (MOST_ROLES - 1)
    return [roles[round(i * step)] for i in range(MOST_ROLES)]


def _blind(clients, page_url) -> None:
    """Post generated fields to a page that shows no form: never a server error or a Django default message."""

    @settings(
        max_examples=BLIND_EXAMPLES * len(clients),
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def one_example(data):
        role = data.draw(st.sampled_from(sorted(clients)), label="role")
        keys = data.draw(st.lists(st.sampled_from(BLIND_KEYS), unique=True, max_size=4), label="fields")
        payload = {key: [data.draw(fuzzing.values_for("text", [""]), label=key)[0]] for key in keys}
        response, recorder = _rolled_back(_post, clients[role], page_url, payload, multipart=False)
        assert response.status_code < 500
        html = response.content.decode("utf-8", "replace")
        assert not fuzzing.django_defaults_in(html), f"{role} POST {page_url} {payload}"

    one_example()


@pytest.mark.parametrize(("name", "page_path", "roles"), TARGETS)
def test_form_refuses_bad_input_on_its_fields_and_changes_nothing(fuzz, name, page_path, roles):
    page_url = fill(page_path, fuzz)
    clients = {role: fuzz["clients"][role] for role in roles}
    candidates = []  # (role, url, form, multipart)
    for role, client in clients.items():
        status, page_forms = _forms_on(client, role, page_url)
        assert status == 200, f"{role}: GET {page_url} gave {status}"
        for form in page_forms:
            if form.method == "post" and _route_of(form.action, page_url) == name:
                candidates.append((role, form.action or page_url, form, "multipart" in form.enctype))
    if name in BLIND:
        assert not candidates, f"{name} shows its form on {page_url}: take it out of BLIND, so it is fuzzed"
        _blind({role: clients[role] for role in _spread(roles)}, page_url)
        return
    # The roles that see the form; where many do, a spread of them.
    users = _spread(list(dict.fromkeys(role for role, *_ in candidates)))
    candidates = [c for c in candidates if c[0] in users]
    assert candidates, (
        f"no role in {roles} sees a form posting to {name} on {page_url}: name the page it is on in FORM_ON, "
        "or list it in BLIND with the reason"
    )
    baseline = fuzzing.snapshot()
    problems: list[str] = []
    kinds: dict[tuple[str, str], dict] = {}
    for index, (role, url, form, multipart) in enumerate(candidates):
        # As shown, for each role; then once with every field left empty. The form that checks
        # the post tells each field's kind.
        shown = form.baseline()
        response, recorder = _rolled_back(_post, clients[role], url, shown, multipart=multipart)
        problems += _check(response, recorder, shown, baseline, f"{role} POST {url} as shown")
        kinds[(role, url)] = recorder.fields()
        if index == 0:
            empty = {k: ([""] if form.control(k).type not in {"hidden", "submit"} else v) for k, v in shown.items()}
            response, recorder = _rolled_back(_post, clients[role], url, empty, multipart=multipart)
            problems += _check(response, recorder, empty, baseline, f"{role} POST {url} empty")
    assert not problems, "\n".join(problems)
    fuzzable = [c for c in candidates if any(n for n in c[2].names() if c[2].control(n).type != "hidden")]
    if not fuzzable:
        return

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def one_example(data):
        role, url, form, multipart = data.draw(st.sampled_from(fuzzable), label="role and form")
        known = kinds[(role, url)]
        shown = form.baseline()
        payload = {}
        for html_name in form.names():
            field = known.get(html_name, (None, None, None))[2]
            control = form.control(html_name)
            kind = "hidden" if control.type == "hidden" else fuzzing.kind_of(field)
            values = data.draw(fuzzing.values_for(kind, shown.get(html_name, [])), label=html_name)
            if values:
                payload[html_name] = values
        for button, value in shown.items():
            if form.control(button).tag == "button" or form.control(button).type == "submit":
                payload[button] = value
        response, recorder = _rolled_back(_post, clients[role], url, payload, multipart=multipart)
        found = _check(response, recorder, payload, baseline, f"{role} POST {url}")
        assert not found, "\n".join(found)

    one_example()


def test_sign_up_with_a_password_like_the_email_address_is_refused_on_the_password(fuzz):
    client = fuzz["clients"]["anonymous"]
    _, page_forms = _forms_on(client, "anonymous", "/sign-up/")
    form = next(f for f in page_forms if _route_of(f.action, "/sign-up/") == "accounts:sign-up")
    data = {**form.baseline(), "user_email": ["sam.okafor@example.org"], "password": ["sam.okafor@example.org"]}
    response, recorder = _rolled_back(_post, client, "/sign-up/", data, multipart=False)
    assert not _check(response, recorder, data, fuzzing.snapshot(), "anonymous POST /sign-up/")
    assert any(form.errors.get("password") for form in recorder.forms)
