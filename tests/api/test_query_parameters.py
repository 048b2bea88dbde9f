"""Every text parameter of the API's query strings says what it refuses, so its document is the truth.

The hub refuses a NUL character in any request (core.middleware answers 422); a text parameter that does
not declare that in its pattern would claim to take input the hub refuses.
"""

import pytest

from commissioning.config.api import api


def _query_parameters():
    document = api.get_openapi_schema()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    yield f"{method.upper()} {path} ?{parameter['name']}", parameter["schema"]


def _text_schemas(schema):
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "string" and "enum" not in option and "format" not in option:
            yield option


@pytest.mark.parametrize(("where", "schema"), list(_query_parameters()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_text_query_parameter_declares_what_it_refuses(where, schema):
    for text in _text_schemas(schema):
        assert "pattern" in text, f"{where} takes any text, but the hub refuses a NUL character: give it a pattern"
