"""Wrong guesses are limited: at signing in per name and per address, and with API tokens."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from commissioning.accounts import services
from commissioning.accounts.models import ApiTokenFailure
from commissioning.accounts.tests.factories import PASSWORD
from commissioning.core import clock

pytestmark = pytest.mark.django_db


def sign_in(client, username: str, password: str = "wrong-password"):
    return client.post("/sign-in/", {"username": username, "password": password})


def test_changing_the_case_or_adding_spaces_counts_as_the_same_name(client, provider_admin, settings):
    email = provider_admin.email
    variants = [email.upper(), f" {email} ", email.title(), f"{email}\t", email.swapcase()]
    statuses = [sign_in(client, variant).status_code for variant in variants[: settings.AXES_FAILURE_LIMIT]]
    # The failure that reaches the limit is answered with the lockout at once.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # The right password is refused now, under any spelling.
    for spelling in (email, email.upper()):
        response = sign_in(client, spelling, PASSWORD)
        assert response.status_code == 429
        assert "Too many attempts to sign in" in response.content.decode()
    assert client.get("/account/").status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock_and_a_success_starts_the_count_again(
    client, provider_admin, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, provider_admin.email.upper())
    assert sign_in(client, provider_admin.email, PASSWORD).status_code == 302
    client.post("/sign-out/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, provider_admin.email)
    assert sign_in(client, provider_admin.email.upper(), PASSWORD).status_code == 302


def test_the_lockout_says_how_long_and_sends_retry_after(client, provider_admin, settings):
    settings.AXES_COOLOFF_TIME = 0.5  # hours
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, provider_admin.email)
    response = sign_in(client, provider_admin.email, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "1800"
    assert "locked for 30 minutes" in response.content.decode()


def test_the_lock_lifts_after_the_cool_off(client, provider_admin, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, provider_admin.email)
    with time_machine.travel(clock.now() + timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)):
        assert sign_in(client, provider_admin.email, PASSWORD).status_code == 302


def test_one_address_trying_many_names_is_locked_out_for_every_name(client, provider_admin, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 8
    assert settings.SIGN_IN_ADDRESS_FAILURE_LIMIT > settings.AXES_FAILURE_LIMIT
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1):
        assert sign_in(client, f"guess{n}@example.org").status_code == 200
    # The failure that reaches the limit is answered with the lockout at once.
    assert sign_in(client, "one-more-guess@example.org").status_code == 429
    # Nobody signs in from that address now, even with the right password for an untouched name...
    assert sign_in(client, provider_admin.email, PASSWORD).status_code == 429
    # ...but from another address they do.
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    assert sign_in(elsewhere, provider_admin.email, PASSWORD).status_code == 302


def test_signing_in_to_your_own_account_does_not_reset_the_count_of_guesses_at_others(client, provider_admin, settings):
    settings.SIGN_IN_ADDRESS_FAILURE_LIMIT = 8
    for n in range(settings.SIGN_IN_ADDRESS_FAILURE_LIMIT - 1):
        sign_in(client, f"guess{n}@example.org")
    assert sign_in(client, provider_admin.email, PASSWORD).status_code == 302
    client.post("/sign-out/")
    assert sign_in(client, "one-more-guess@example.org").status_code == 429


def test_the_default_limits_are_per_name_below_per_address(settings):
    assert 0 < settings.AXES_FAILURE_LIMIT < settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
    assert settings.API_TOKEN_FAILURE_LIMIT > 0 and settings.API_TOKEN_COOLOFF_MINUTES > 0


# API tokens ------------------------------------------------------------------------


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def token(provider_admin) -> str:
    return services.api_token_create(actor=provider_admin, name="spreadsheet")[1]


def test_bad_tokens_from_one_address_get_429_with_retry_after_even_for_a_good_token(client, token, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 3
    for n in range(settings.API_TOKEN_FAILURE_LIMIT):
        response = client.get("/api/v1/me", **bearer(f"lch_guess{n}"))
        assert response.status_code == 401
    refused = client.get("/api/v1/me", **bearer(token))
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(int(settings.API_TOKEN_COOLOFF_MINUTES * 60))
    assert "Too many unknown or revoked API tokens" in refused.json()["detail"]
    assert "Try again in 15 minutes" in refused.json()["detail"]
    # Another address is not held up.
    assert Client(REMOTE_ADDR="192.0.2.7").get("/api/v1/me", **bearer(token)).status_code == 200
    # Nor is a request without a token (public reads stay open).
    assert client.get("/api/v1/organisations").status_code == 200


def test_the_api_wait_ends_a_cool_off_after_the_last_bad_token(client, token, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 2
    for n in range(2):
        client.get("/api/v1/me", **bearer(f"lch_guess{n}"))
    with time_machine.travel(clock.now() + timedelta(minutes=settings.API_TOKEN_COOLOFF_MINUTES - 1)):
        response = client.get("/api/v1/me", **bearer(token))
        assert response.status_code == 429 and 0 < int(response["Retry-After"]) <= 60
    with time_machine.travel(clock.now() + timedelta(minutes=settings.API_TOKEN_COOLOFF_MINUTES, seconds=1)):
        assert client.get("/api/v1/me", **bearer(token)).status_code == 200


def test_bad_tokens_spread_out_beyond_the_cool_off_do_not_add_up(client, token, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 2
    client.get("/api/v1/me", **bearer("lch_guess0"))
    with time_machine.travel(clock.now() + timedelta(minutes=settings.API_TOKEN_COOLOFF_MINUTES + 1)):
        client.get("/api/v1/me", **bearer("lch_guess1"))
        assert ApiTokenFailure.objects.get().failures == 1
        assert client.get("/api/v1/me", **bearer(token)).status_code == 200


def test_a_good_token_does_not_wipe_the_count_of_bad_ones(client, token, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 2
    client.get("/api/v1/me", **bearer("lch_guess0"))
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200
    client.get("/api/v1/me", **bearer("lch_guess1"))
    assert client.get("/api/v1/me", **bearer(token)).status_code == 429


def test_a_revoked_token_counts_as_a_bad_one(client, provider_admin, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 1
    api_token, secret = services.api_token_create(actor=provider_admin, name="old")
    services.api_token_revoke(actor=provider_admin, token=api_token)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 429


def test_a_bad_token_on_a_public_read_counts_too(client, token, settings):
    settings.API_TOKEN_FAILURE_LIMIT = 2
    for n in range(2):
        assert client.get("/api/v1/opportunities/LCH-2026-0999", **bearer(f"lch_guess{n}")).status_code == 404
    assert client.get("/api/v1/opportunities/LCH-2026-0999", **bearer(token)).status_code == 429
    assert client.get("/api/v1/opportunities/LCH-2026-0999").status_code == 404


def test_the_api_document_states_the_429_and_its_retry_after(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path, method in (("/api/v1/me", "get"), ("/api/v1/opportunities/{reference}", "get")):
        answer = spec["paths"][path][method]["responses"]["429"]
        assert "Retry-After" in answer["headers"]
        assert "unknown or revoked API tokens" in answer["description"]
