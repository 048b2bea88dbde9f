import pytest

from commissioning.practice.models import Rule

pytestmark = pytest.mark.django_db


def test_the_rules_are_listed_in_order_with_settings(client):
    response = client.get("/api/v1/code/rules")

    assert response.status_code == 200
    rules = response.json()
    assert [r["code"] for r in rules][:3] == ["NA-1", "NA-2", "NA-3"]
    assert len(rules) == 27
    pr5 = next(r for r in rules if r["code"] == "PR-5")
    assert pr5["stage"] == "procurement"
    assert pr5["guards_step"] == "opportunity_publish"
    assert pr5["principles"] == [10]
    assert pr5["settings"] == {"min_quality_weight": 60}
    assert "maximise the weight given to quality" in pr5["code_text"]
    rv1 = next(r for r in rules if r["code"] == "RV-1")
    assert rv1["guards_step"] is None


def test_the_rules_list_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/api/v1/code/rules")


def test_one_rule_shows_money_exactly_and_its_current_settings(client):
    Rule.objects.filter(code="PL-3").update(
        settings={
            "lead_days_below_threshold": 10,
            "lead_days_above_threshold": 25,
            "lead_value_threshold": "120000.50",
            "mobilisation_days": 20,
        }
    )

    response = client.get("/api/v1/code/rules/PL-3")

    assert response.status_code == 200
    body = response.json()
    assert body["settings"]["lead_value_threshold"] == "120000.50"
    assert body["settings"]["lead_days_below_threshold"] == 10
    definition = next(d for d in body["setting_definitions"] if d["key"] == "lead_days_below_threshold")
    assert definition["default"] == 15
    assert definition["in_words"] == "10 working days"


def test_an_unknown_rule_is_a_404_problem(client):
    response = client.get("/api/v1/code/rules/XX-1")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no rule with the code 'XX-1'"}


def test_the_principles_are_listed_with_their_rules(client):
    response = client.get("/api/v1/code/principles")

    assert response.status_code == 200
    principles = response.json()
    assert [p["number"] for p in principles] == list(range(1, 13))
    assert "PR-5" in principles[9]["rules"]
    assert principles[9]["title"] == "Provides value for money"


def test_the_openapi_document_describes_the_code(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/code/rules/{code}" in spec["paths"]
    assert "RuleOut" in spec["components"]["schemas"]


@pytest.mark.parametrize("code", ["%00", "PR-5%00", "a" * 300, "PR--5", "%F0%9F%98%80"])
def test_a_malformed_code_is_a_404_not_an_error(client, code):
    assert client.get(f"/api/v1/code/rules/{code}").status_code == 404
    assert client.get(f"/code/rules/{code}/").status_code == 404
