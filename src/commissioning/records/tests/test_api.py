"""The records through the API: a commissioner's own bodies' records, 404 for anyone else's."""

import pytest

from commissioning.accounts import services as account_services
from commissioning.accounts.models import Role
from commissioning.accounts.tests.factories import CommissionerOrgFactory, person_with_role

from .factories import body_of, record_for

pytestmark = pytest.mark.django_db

LIST = "/api/v1/records"


def bearer(user) -> dict:
    _, secret = account_services.api_token_create(actor=user, name="records")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_commissioner_lists_their_bodies_records_with_exact_values(client, commissioner):
    partner = CommissionerOrgFactory()
    own = record_for(commissioner, joint_bodies=[partner])
    record_for(person_with_role(Role.COMMISSIONER, CommissionerOrgFactory()), title="Not theirs")
    response = client.get(LIST, **bearer(commissioner))
    assert response.status_code == 200
    [item] = response.json()["items"]
    assert item["reference"] == own.reference and item["estimated_value"] == "1200000.00"
    assert item["lead_body"]["slug"] == body_of(commissioner).slug
    assert item["joint_bodies"] == [{"slug": partner.slug, "name": partner.name}]
    assert item["wards"][0]["code"] == "E05011398" and item["url"] == f"/commissioning/records/{own.reference}/"


def test_one_record_is_read_by_its_commissioners_and_administrators_only(client, commissioner, administrator):
    own = record_for(commissioner)
    path = f"{LIST}/{own.reference}"
    assert client.get(path, **bearer(commissioner)).json()["title"] == own.title
    assert client.get(path, **bearer(administrator)).status_code == 200
    outsider = person_with_role(Role.COMMISSIONER, CommissionerOrgFactory())
    assert client.get(path, **bearer(outsider)).status_code == 404
    assert client.get(path, **bearer(person_with_role(Role.PROVIDER_ADMIN))).status_code == 404
    assert client.get(path).status_code == 401


def test_people_who_commission_for_no_body_list_none(client, commissioner):
    record_for(commissioner)
    response = client.get(LIST, **bearer(person_with_role(Role.PROVIDER_ADMIN)))
    assert response.status_code == 200 and response.json() == {"items": [], "count": 0}


def test_an_unknown_parameter_is_refused(client, commissioner):
    response = client.get(LIST, {"titel": "x"}, **bearer(commissioner))
    assert response.status_code == 422


def test_the_list_costs_the_same_few_queries_whatever_its_length(client, commissioner, django_assert_max_num_queries):
    for n in range(6):
        record_for(commissioner, title=f"Record {n}", joint_bodies=[CommissionerOrgFactory()])
    headers = bearer(commissioner)
    with django_assert_max_num_queries(10):
        assert len(client.get(LIST, **headers).json()["items"]) == 6
