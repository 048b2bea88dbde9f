"""Responses for someone are never stored by a cache; public pages read anonymously may be."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import person_with_role
from commissioning.core.middleware import PrivateResponsesNotStoredMiddleware, mark_not_stored

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_a_public_page_read_anonymously_may_be_cached(client):
    response = client.get("/opportunities/")
    assert response.status_code == 200
    assert "no-store" not in directives(response)


def test_the_same_public_page_for_a_signed_in_person_is_not_stored(client):
    client.force_login(person_with_role(Role.COMMISSIONER))
    response = client.get("/opportunities/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)


def test_a_request_with_a_token_is_not_stored_even_when_refused(client):
    response = client.get("/api/v1/evidence", HTTP_AUTHORIZATION="Bearer not-a-real-token")
    assert response.status_code == 401
    assert {"private", "no-store"} <= directives(response)


def test_signing_out_is_answered_unstored_though_the_session_ended_in_the_view(client):
    client.force_login(person_with_role(Role.COMMISSIONER))
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert {"private", "no-store"} <= directives(response)


def test_an_invitation_link_is_not_stored_though_nobody_is_signed_in(client):
    response = client.get("/invitations/not-a-real-token/")
    assert response.status_code == 404
    assert "no-store" in directives(response)


def test_a_view_that_allowed_shared_caching_is_overruled_for_a_signed_in_person():
    def view(request):
        response = HttpResponse("yours")
        response["Cache-Control"] = "public, max-age=3600, must-revalidate"
        return response

    request = RequestFactory().get("/somewhere/")
    request.user = person_with_role(Role.COMMISSIONER)
    response = PrivateResponsesNotStoredMiddleware(view)(request)
    assert directives(response) == {"private", "no-store", "must-revalidate"}


def test_marking_twice_changes_nothing():
    response = HttpResponse()
    mark_not_stored(response)
    mark_not_stored(response)
    assert response["Cache-Control"] == "private, no-store"
