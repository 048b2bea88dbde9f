"""Every write endpoint of the API, from its OpenAPI document, against generated bad input.

Each operation that takes a JSON body is fuzzed with a token of a role that may use
it; one that takes none is listed in ``TAKES_NO_INPUT``, so a new endpoint cannot
escape. Every answer must be below 500; a refusal of the input is a 422 naming each
refused field; a value the product refuses everywhere (invisible or blank-looking
text, direction overrides, line breaks in single-line text, numbers that are not
digits, dates beyond the horizon, links with a user name) is refused on its field;
and a refused request changes no saved row.
"""

import json

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from . import fuzzing
from .conftest import fill

pytestmark = pytest.mark.django_db

EXAMPLES = 8
WRITES = {"post", "put", "patch", "delete"}
# Who writes through each part of the API.
ROLE_FOR = {
    "/api/v1/opportunities": "commissioner",
    "/api/v1/pipeline": "commissioner",
    "/api/v1/submissions": "provider_admin",
    "/api/v1/contracts": "provider_admin",
    "/api/v1/reviews": "provider_admin",
    "/api/v1/records": "commissioner",
}
PATH_VALUES = {"reference": "{draft}", "public_id": "{submission}", "number": "1"}
# Where a part of the API names its objects otherwise (an agreement's reference, not an opportunity's).
PATH_VALUES_FOR = {
    "/api/v1/contracts": {"reference": "{agreement}"},
    "/api/v1/reviews": {"reference": "{review_open}"},
    "/api/v1/pipeline": {"reference": "{plan}"},
    "/api/v1/records": {"reference": "{record}", "option_id": "{appraisal_option}"},
}
# Operations with no body: their refusals (state, role) are the permission matrix's rows.
TAKES_NO_INPUT = {
    ("post", "/api/v1/opportunities/{reference}/publish"): "publishing takes no input",
    ("post", "/api/v1/opportunities/{reference}/submissions/open"): "opening the bids takes no input",
    ("delete", "/api/v1/records/{reference}/appraisal/options/{option_id}"): "removing an option takes no input",
}

DATES_OUT = ["9999-12-31", "1999-12-31", "2027-02-30", "31/12/2027"]
MOMENTS_OUT = ["9999-12-31T23:59:00+00:00", "1900-01-01T00:00:00+00:00", "2027-02-29T12:00:00+00:00", "noon"]


def _document() -> dict:
    from commissioning.config.api import api

    return api.get_openapi_schema()


DOCUMENT = _document()
OPERATIONS = sorted((method, path) for path, ops in DOCUMENT["paths"].items() for method in ops if method in WRITES)


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = DOCUMENT["components"]["schemas"][name]
    return schema


def _body_schema(method: str, path: str) -> dict | None:
    body = DOCUMENT["paths"][path][method].get("requestBody")
    if not body:
        return None
    return _resolve(body["content"]["application/json"]["schema"])


def _variants(schema: dict) -> list[dict]:
    schema = _resolve(schema)
    if "anyOf" in schema:
        return [_resolve(s) for s in schema["anyOf"]]
    return [schema]


def _kind(name: str, schema: dict) -> str:
    variants = _variants(schema)
    types = {v.get("type") for v in variants}
    formats = {v.get("format") for v in variants}
    patterns = " ".join(v.get("pattern", "") for v in variants)
    description = " ".join(v.get("description", "") for v in [_resolve(schema), *variants])
    if name == "link":
        return "link"
    if "date-time" in formats:
        return "moment"
    if "date" in formats:
        return "day"
    if "integer" in types and "string" in types:
        return "amount"
    if name == "price":
        return "amount"
    if "string" in types and "[0-9]" in patterns and "." in patterns:
        return "amount"
    if types == {"integer"} or types == {"integer", "null"}:
        return "integer"
    if "boolean" in types:
        return "boolean"
    if "array" in types:
        return "array"
    if "string" in types:
        return "line" if "One line" in description else "text"
    return "other"


def _value(kind: str) -> st.SearchStrategy:
    text = fuzzing.INVISIBLE_ONLY + fuzzing.DIRECTION_TRICKS + [fuzzing.LONG] + fuzzing.ODD_BUT_FINE
    pools = {
        "link": fuzzing.LINKS_OUT + ["https://www.example.org/join", ""],
        "moment": MOMENTS_OUT + ["2027-06-01T12:00:00+01:00", 20270601, None],
        "day": DATES_OUT + ["2027-06-01", None],
        "amount": fuzzing.NUMBERS_NOT_DIGITS + ["1250.50", "30000.00", 1e4, -1, True, None],
        "integer": ["1e4", 1e4, -0, 10**29, "NaN", 3.5, 1, None, True],
        "boolean": ["yes", 1, None, True, False],
        "array": ["not-a-list", [], ["x"], [{"number": "1e4"}], [None]],
        "line": text + fuzzing.LINE_BREAKS,
        "text": text + fuzzing.LINE_BREAKS[:1],
    }
    return st.sampled_from(pools.get(kind, text + [None, 1, [], {}]))


def must_refuse(kind: str, value) -> bool:
    if kind in {"line", "text"}:
        return (
            value in fuzzing.INVISIBLE_ONLY
            or value in fuzzing.DIRECTION_TRICKS
            or (kind == "line" and value in fuzzing.LINE_BREAKS)
        )
    if kind == "amount":
        return value in fuzzing.NUMBERS_NOT_DIGITS
    if kind == "moment":
        return value in MOMENTS_OUT
    if kind == "day":
        return value in DATES_OUT
    if kind == "link":
        return value in fuzzing.LINKS_OUT
    return False


def test_every_write_endpoint_is_fuzzed_or_takes_no_input():
    bodiless = {op for op in OPERATIONS if _body_schema(*op) is None}
    assert bodiless == set(TAKES_NO_INPUT), (
        "a write endpoint without a JSON body must be listed in TAKES_NO_INPUT with the reason; "
        f"listed but gone or taking a body now: {sorted(set(TAKES_NO_INPUT) - bodiless)}; "
        f"not listed: {sorted(bodiless - set(TAKES_NO_INPUT))}"
    )
    unowned = [op for op in OPERATIONS if not any(op[1].startswith(prefix) for prefix in ROLE_FOR)]
    assert not unowned, f"say in ROLE_FOR which role writes through {unowned}"


FUZZED = [pytest.param(m, p, id=f"{m.upper()} {p}") for m, p in OPERATIONS if (m, p) not in TAKES_NO_INPUT]


@pytest.mark.parametrize(("method", "path"), FUZZED)
def test_write_endpoint_refuses_bad_input_with_field_errors_and_changes_nothing(fuzz, method, path):
    from commissioning.accounts import services

    role = next(r for prefix, r in ROLE_FOR.items() if path.startswith(prefix))
    token = services.api_token_create(actor=fuzz["people"][role], name="fuzz")[1]
    url = path
    values = PATH_VALUES | next((v for prefix, v in PATH_VALUES_FOR.items() if path.startswith(prefix)), {})
    for name, value in values.items():
        url = url.replace("{" + name + "}", fill(value, fuzz))
    schema = _body_schema(method, path)
    properties = {name: _kind(name, prop) for name, prop in schema.get("properties", {}).items()}
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    baseline = fuzzing.snapshot()

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
        body = {}
        for name, kind in properties.items():
            if data.draw(st.booleans(), label=f"send {name}"):
                body[name] = data.draw(_value(kind), label=name)
        with transaction.atomic():
            try:
                response = getattr(client, method)(url, json.dumps(body), content_type="application/json")
                problems = []
                assert response.status_code < 500, f"{method.upper()} {url} {body!r}: {response.status_code}"
                answer = response.json() if response.content else {}
                if response.status_code == 422:
                    errors = answer.get("errors")
                    if not errors or not all(e.get("field") is not None and e.get("message") for e in errors):
                        problems.append(f"422 without field errors: {answer}")
                    fields = {str(e.get("field", "")).split(".")[-1] for e in errors or []}
                    fields |= {str(e.get("field", "")).split(".")[1] for e in errors or [] if "." in e.get("field", "")}
                    for name, value in body.items():
                        if must_refuse(properties[name], value) and name not in fields:
                            problems.append(f"422 does not name {name!r} for {value!r}: {errors}")
                elif response.status_code < 300:
                    for name, value in body.items():
                        if must_refuse(properties[name], value):
                            problems.append(f"accepted {value!r} for {name!r} ({properties[name]})")
                if response.status_code >= 400 and (changed := fuzzing.changes(baseline, fuzzing.snapshot())):
                    problems.append(f"a refused request changed saved rows: {changed}")
                assert not problems, f"{method.upper()} {url} {body!r}:\n" + "\n".join(problems)
            finally:
                transaction.set_rollback(True)

    one_example()
