import pytest
from hypothesis import given
from hypothesis import strategies as st

from commissioning.accounts.identifiers import (
    IdentifierError,
    Scheme,
    normalise_identifier,
    normalise_postcode,
    org_id,
)


@pytest.mark.parametrize(
    ("scheme", "typed", "stored"),
    [
        (Scheme.CHARITY_ENGLAND_WALES, "1123456", "1123456"),
        (Scheme.CHARITY_ENGLAND_WALES, " 1 123 456 ", "1123456"),
        (Scheme.CHARITY_ENGLAND_WALES, "GB-CHC-1123456", "1123456"),
        (Scheme.COMPANIES_HOUSE, "1234567", "01234567"),
        (Scheme.COMPANIES_HOUSE, "sc123456", "SC123456"),
        (Scheme.COMPANIES_HOUSE, "OC301234", "OC301234"),
        (Scheme.CHARITY_SCOTLAND, "SC012345", "SC012345"),
        (Scheme.CHARITY_NORTHERN_IRELAND, "100123", "100123"),
        (Scheme.MUTUALS, "30012R", "30012R"),
        (Scheme.LOCAL_AUTHORITY_ENGLAND, "lds", "LDS"),
        (Scheme.NHS, "QWO", "QWO"),
        (Scheme.NHS, "15F", "15F"),
    ],
)
def test_identifiers_are_normalised_to_the_registers_form(scheme, typed, stored):
    assert normalise_identifier(scheme, typed) == stored


@pytest.mark.parametrize(
    ("scheme", "typed", "message"),
    [
        (Scheme.CHARITY_ENGLAND_WALES, "12345", "6 or 7 digits"),
        (Scheme.CHARITY_ENGLAND_WALES, "12345678", "6 or 7 digits"),
        (Scheme.CHARITY_ENGLAND_WALES, "ABC1234", "6 or 7 digits"),
        (Scheme.COMPANIES_HOUSE, "XX123456", "8 characters"),
        (Scheme.COMPANIES_HOUSE, "123456789", "8 characters"),
        (Scheme.CHARITY_SCOTLAND, "012345", "SC and 6 digits"),
        (Scheme.CHARITY_NORTHERN_IRELAND, "200123", "starting with 1"),
        (Scheme.LOCAL_AUTHORITY_ENGLAND, "LEEDS", "3 letters"),
        (Scheme.NHS, "Q", "3 to 6"),
        ("GB-XYZ", "123", "Choose an identifier scheme"),
        (Scheme.CHARITY_ENGLAND_WALES, "", "Enter the organisation's number"),
        (Scheme.CHARITY_ENGLAND_WALES, "1" * 30, "20 characters or fewer"),
    ],
)
def test_malformed_identifiers_are_refused_with_the_registers_format(scheme, typed, message):
    with pytest.raises(IdentifierError, match=message):
        normalise_identifier(scheme, typed)


@given(st.text(max_size=40))
def test_normalising_never_crashes_and_is_idempotent(text):
    for scheme in Scheme.values:
        try:
            once = normalise_identifier(scheme, text)
        except IdentifierError:
            continue
        assert normalise_identifier(scheme, once) == once


def test_org_id_joins_scheme_and_number():
    assert org_id("GB-CHC", "1123456") == "GB-CHC-1123456"


@pytest.mark.parametrize(("typed", "stored"), [("ls11ur", "LS1 1UR"), ("LS9  7HD", "LS9 7HD"), ("wf1 2eb", "WF1 2EB")])
def test_postcodes_are_tidied(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["", "LS", "12345", "LS1 1U", "not a postcode"])
def test_non_postcodes_are_refused(typed):
    with pytest.raises(ValueError, match="real postcode"):
        normalise_postcode(typed)
