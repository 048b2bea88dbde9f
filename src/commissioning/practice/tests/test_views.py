import pytest
from django.urls import reverse

from commissioning.audit.models import AuditEvent
from commissioning.practice.models import Rule

pytestmark = pytest.mark.django_db


def test_the_code_page_is_public_and_lists_every_rule_and_principle(client):
    response = client.get("/code/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "How we apply the Code" in page
    assert "PR-5: Quality is given the greater weight" in page
    assert "maximise the weight given to quality in each case" in page
    assert "Least weight given to quality: <strong>60%</strong>" in page
    assert "Before publishing an opportunity" in page
    assert "Recorded, not a gate" in page
    assert "12. Promotes positive engagement with providers" in page
    for code in Rule.objects.values_list("code", flat=True):
        assert f'href="/code/rules/{code}/"' in page


def test_the_code_page_makes_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get("/code/")


def test_the_code_page_shows_an_administrators_setting(client):
    Rule.objects.filter(code="PR-5").update(settings={"min_quality_weight": 70})
    assert "Least weight given to quality: <strong>70%</strong>" in client.get("/code/").content.decode()


def test_a_rule_page_shows_the_rule_and_its_principles(client):
    response = client.get(reverse("practice:rule", kwargs={"code": "PL-3"}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "PL-3: There is time for market development" in page
    assert "15 working days" in page
    assert "£100,000" in page
    assert "9. Ensures diversity, sustainability and quality of the market" in page


def test_a_rule_page_finds_a_code_in_lower_case(client):
    response = client.get("/code/rules/pr-5/")
    assert response.status_code == 200
    assert "PR-5:" in response.content.decode()


def test_an_unknown_rule_is_not_found(client):
    assert client.get("/code/rules/XX-1/").status_code == 404


# Administration


def test_an_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/administration/code/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign-in"))
    assert "next=/administration/code/" in response["Location"]
    assert client.get("/administration/code/PR-5/").status_code == 302


@pytest.mark.parametrize("who", ["provider_admin", "commissioner"])
def test_signed_in_people_who_are_not_administrators_get_not_found(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/administration/code/").status_code == 404
    assert client.get("/administration/code/PR-5/").status_code == 404
    assert client.post("/administration/code/PR-5/", {"min_quality_weight": "10"}).status_code == 404
    assert Rule.objects.get(code="PR-5").settings == {"min_quality_weight": 60}


def test_an_administrator_sees_the_rules_with_settings(client, administrator):
    client.force_login(administrator)

    response = client.get("/administration/code/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "Rules with settings" in page
    assert 'href="/administration/code/PR-5/"' in page
    assert 'href="/administration/code/NA-1/"' not in page


def test_an_administrator_sees_the_settings_form(client, administrator):
    client.force_login(administrator)

    response = client.get("/administration/code/PL-3/")

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="lead_value_threshold"' in page
    assert 'value="100000"' in page
    assert "Leeds uses 15 working days" in page


def test_a_rule_without_settings_has_no_settings_page(client, administrator):
    client.force_login(administrator)
    assert client.get("/administration/code/NA-1/").status_code == 404
    assert client.get("/administration/code/XX-1/").status_code == 404


def test_an_administrator_changes_a_setting(client, administrator):
    client.force_login(administrator)

    response = client.post("/administration/code/PR-5/", {"min_quality_weight": "70"}, follow=True)

    assert response.redirect_chain == [(reverse("practice:settings"), 302)]
    assert "PR-5 settings saved" in response.content.decode()
    assert Rule.objects.get(code="PR-5").settings == {"min_quality_weight": 70}
    assert AuditEvent.objects.filter(verb="rule.settings_update", actor=administrator).count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-10", "Least weight given to quality must be 0% or more"),
        ("seventy", "Least weight given to quality must be a whole number"),
        ("150", "Least weight given to quality must be 100% or less"),
        ("", "Enter the least weight given to quality"),
    ],
)
def test_a_bad_value_is_shown_back_and_the_old_value_kept(client, administrator, value, message):
    client.force_login(administrator)

    response = client.post("/administration/code/PR-5/", {"min_quality_weight": value})

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error: " in page
    assert Rule.objects.get(code="PR-5").settings == {"min_quality_weight": 60}


def test_bands_out_of_order_are_shown_back(client, administrator):
    client.force_login(administrator)
    values = {
        "max_questions_up_to_25k": "10",
        "max_questions_25k_100k": "8",
        "max_questions_100k_500k": "12",
        "max_questions_above_500k": "20",
        "max_words_per_answer": "1000",
    }

    response = client.post("/administration/code/PR-7/", values)

    page = response.content.decode()
    assert "There is a problem" in page
    assert "must be at least 10 questions" in page
    assert Rule.objects.get(code="PR-7").settings["max_questions_up_to_25k"] == 5
