"""A service's refusal put on a form: each message on its field, or on the whole form."""

from django import forms

from commissioning.core.errors import RefusedError
from commissioning.frontend.forms import GovukForm, error_summary_items, refusal_form, refused_into


class NameForm(GovukForm):
    name = forms.CharField(label="Name")
    user_email = forms.EmailField(label="Your e-mail address")


def _bound() -> NameForm:
    form = NameForm({"name": "Ada", "user_email": "ada@example.org"})
    assert form.is_valid()
    return form


def test_each_message_goes_on_the_field_it_names_and_the_rest_on_the_whole_form():
    form = _bound()
    refused_into(form, RefusedError({"name": ["Enter another name"], "nowhere": ["Not today"], "": ["Try later"]}))
    assert form.errors["name"] == ["Enter another name"]
    assert form.non_field_errors() == ["Not today", "Try later"]
    summary = {item["text"]: item["href"] for item in error_summary_items(form)}
    # A message for the whole form leads to the form's first field, so a keyboard user lands on it.
    assert summary == {"Not today": "#id_name", "Try later": "#id_name", "Enter another name": "#id_name"}


def test_names_rename_a_service_argument_to_its_field_by_table_or_by_function():
    form = _bound()
    refused_into(form, RefusedError({"email": ["That address has an account"]}), names={"email": "user_email"})
    assert form.errors["user_email"] == ["That address has an account"]
    form = _bound()
    refused_into(
        form, RefusedError({"score-7": ["Choose a score"]}), names=lambda name: "name" if "7" in name else None
    )
    assert form.errors["name"] == ["Choose a score"]
    form = _bound()
    refused_into(form, RefusedError({"score-8": ["Choose a score"]}), names=lambda name: None)
    assert form.non_field_errors() == ["Choose a score"]


def test_messages_the_page_already_lists_are_left_out_and_a_plain_mapping_of_one_message_each_is_taken():
    form = _bound()
    refused_into(
        form,
        RefusedError({"": ["Finish your evidence", "Tick the declaration"]}),
        leave_out=frozenset({"Finish your evidence"}),
    )
    assert form.non_field_errors() == ["Tick the declaration"]
    form = _bound()
    refused_into(form, {"name": "Enter a shorter name"})
    assert form.errors["name"] == ["Enter a shorter name"]


def test_a_refusal_alone_makes_a_form_for_a_page_with_only_a_button():
    form = refusal_form(RefusedError.on("", "The panel has not finished scoring"))
    assert form.non_field_errors() == ["The panel has not finished scoring"]
