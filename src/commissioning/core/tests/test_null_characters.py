"""A NUL character in a request is bad input: a clear answer and a one-line warning, never an error."""

import logging

import pytest

pytestmark = pytest.mark.django_db

LOGGER = "django.security.NullCharacterRefused"


def refusals(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == LOGGER]


def assert_one_line_warning(caplog) -> str:
    records = refusals(caplog)
    assert len(records) == 1
    (record,) = records
    assert record.levelno == logging.WARNING
    assert record.exc_info is None and record.stack_info is None
    message = record.getMessage()
    assert "\n" not in message and "\r" not in message and "\x00" not in message
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    return message


@pytest.mark.parametrize("path", ["/organisations/?q=%00", "/opportunities/?q=advice%00"])
def test_a_page_with_a_nul_in_its_query_gets_the_400_page_and_one_warning(client, caplog, path):
    caplog.set_level(logging.INFO)
    response = client.get(path)
    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in response.content.decode()
    message = assert_one_line_warning(caplog)
    assert "GET" in message and "'q'" in message and path.split("?")[0] in message


def test_an_api_call_with_a_nul_gets_the_422_problem_and_one_warning(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/api/v1/organisations?legal_form=%00")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "legal_form"
    assert "'legal_form'" in assert_one_line_warning(caplog)


def test_a_form_post_with_a_nul_gets_the_400_page_and_one_warning(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.post(
        "/sign-in/", "username=a%00b%40example.org&password=x", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "POST" in assert_one_line_warning(caplog)


def test_a_field_name_cannot_break_the_log_line(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/organisations/?q%0d%0aFORGED%20ERROR%00=x")
    assert response.status_code == 400
    assert "FORGED" in assert_one_line_warning(caplog)


def test_a_request_without_a_nul_is_not_logged(client, caplog):
    caplog.set_level(logging.INFO)
    assert client.get("/organisations/?q=advice").status_code == 200
    assert refusals(caplog) == []
