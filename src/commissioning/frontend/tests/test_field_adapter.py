from django import forms
from django.test import RequestFactory

from commissioning.frontend.forms import error_summary_items, govuk_field_params


class Sample(forms.Form):
    name = forms.CharField(label="Name", max_length=10, help_text="Your full name")
    about = forms.CharField(label="About", required=False, widget=forms.Textarea)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    tags = forms.MultipleChoiceField(label="Tags", choices=[("x", "X")], widget=forms.CheckboxSelectMultiple)
    secret = forms.CharField(label="Secret", widget=forms.PasswordInput)


def render(form) -> str:
    from django.template import engines

    template = engines["jinja2"].from_string(
        '{% from "frontend/forms.html" import field, error_summary with context %}'
        "{{ error_summary(form) }}{% for f in form %}{{ field(f) }}{% endfor %}"
    )
    return template.render({"form": form}, request=RequestFactory().get("/"))


def test_an_empty_textarea_is_empty_not_none():
    html = render(Sample())
    assert ">None<" not in html and "None</textarea>" not in html


def test_errors_are_listed_and_link_to_their_fields_including_radio_groups():
    form = Sample({"name": "x" * 11, "secret": "hunter2"})
    assert not form.is_valid()
    items = {item["href"] for item in error_summary_items(form)}
    assert items == {"#id_name", "#id_kind", "#id_tags"}
    html = render(form)
    assert 'id="id_kind"' in html  # the first radio carries the id the summary links to
    assert "There is a problem" in html


class WholeForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, required=False)
    email = forms.EmailField(label="E-mail address")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)

    def clean(self):
        self.add_error("step", "That step has expired")
        raise forms.ValidationError("Enter a correct e-mail address and password")


class ButtonOnly(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Nothing to withdraw")


def test_an_error_about_the_whole_form_links_to_its_first_field_not_to_the_page():
    form = WholeForm({"email": "grace@example.org", "password": "wrong"})
    assert not form.is_valid()
    items = error_summary_items(form)
    assert {item["text"] for item in items} == {"Enter a correct e-mail address and password", "That step has expired"}
    # Neither the page nor a hidden field can take focus: both lead to the e-mail address.
    assert {item["href"] for item in items} == {"#id_email"}
    html = render(form)
    assert 'href="#main-content"' not in html and 'href="#id_step"' not in html


def test_a_form_with_nothing_to_fill_in_lists_its_errors_without_a_link():
    form = ButtonOnly({})
    assert not form.is_valid()
    assert error_summary_items(form) == [{"text": "Nothing to withdraw"}]
    html = render(form)
    assert "Nothing to withdraw" in html and "govuk-error-summary__list" in html and "<a " not in html


def test_a_password_is_never_echoed_back():
    form = Sample({"secret": "hunter2"})
    form.is_valid()
    assert govuk_field_params(form["secret"])["value"] is None
    assert "hunter2" not in render(form)


def test_typed_values_are_kept_and_escaped():
    form = Sample({"name": "<b>Ann</b>", "about": "<script>x</script>"})
    form.is_valid()
    html = render(form)
    assert "&lt;b&gt;Ann&lt;/b&gt;" in html and "&lt;script&gt;" in html and "<script>x" not in html
