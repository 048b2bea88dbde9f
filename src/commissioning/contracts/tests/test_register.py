"""The public contracts register: issued and accepted agreements only, searchable, filterable, as CSV and API."""

import csv
import io
from decimal import Decimal

import pytest
from markupsafe import escape
from openpyxl import load_workbook

from ..models import Agreement
from ..register import COLUMNS
from .factories import direct_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def three():
    running = direct_agreement(accept_as=True, title="Carers' support in Armley")
    waiting = direct_agreement(issue=True, title="Befriending in Bramley", kind="grant", value=Decimal("9000.00"))
    draft = direct_agreement(title="Secret draft in Seacroft")
    return running, waiting, draft


def test_the_register_lists_issued_and_accepted_agreements_and_never_a_draft(client, three):
    running, waiting, draft = three
    html = client.get("/contracts/").content.decode()
    assert running.reference in html and waiting.reference in html and draft.reference not in html
    assert client.get(f"/contracts/{draft.reference}/").status_code == 404
    page = client.get(f"/contracts/{running.reference}/").content.decode()
    assert running.provider.name in page and "Supplier is a VCSE organisation" in page


def test_the_register_searches_and_filters(client, three):
    running, waiting, _ = three
    html = client.get("/contracts/?q=Bramley").content.decode()
    assert waiting.reference in html and running.reference not in html
    html = client.get("/contracts/?kind=contract").content.decode()
    assert running.reference in html and waiting.reference not in html
    html = client.get(f"/contracts/?body={running.commissioner.slug}").content.decode()
    assert running.reference in html and waiting.reference not in html


def test_the_csv_has_the_transparency_codes_columns_and_the_pages_filters(client, three):
    running, waiting, draft = three
    response = client.get("/contracts/register.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == COLUMNS
    by_reference = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_reference) == {running.reference, waiting.reference}
    line = by_reference[running.reference]
    assert line["Supplier"] == running.provider.name and line["Value over the term (£)"] == "30000.00"
    assert line["Supplier identifier"].startswith("GB-") and line["Result of a published invitation to tender"] == "No"
    filtered = client.get("/contracts/register.csv?kind=grant")
    assert [row[0] for row in csv.reader(io.StringIO(b"".join(filtered.streaming_content).decode()))][1:] == [
        waiting.reference
    ]


def _workbook_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    return list(sheet.iter_rows(values_only=True))


def test_the_xlsx_has_the_csvs_columns_typed_and_the_pages_filters(client, three):
    running, waiting, draft = three
    response = client.get("/contracts/register.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="contracts-register.xlsx"' in response["Content-Disposition"]
    rows = _workbook_rows(response)
    assert list(rows[0]) == COLUMNS
    by_reference = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_reference) == {running.reference, waiting.reference}
    line = by_reference[running.reference]
    assert line["Value over the term (£)"] == 30000 and line["Start date"].date() == running.starts_on
    assert line["Supplier"] == running.provider.name
    filtered = _workbook_rows(client.get("/contracts/register.xlsx?kind=grant"))
    assert [row[0] for row in filtered[1:]] == [waiting.reference]


def test_the_xlsx_shows_text_that_looks_like_a_formula_as_typed(client, three):
    running, _waiting, _draft = three
    Agreement.objects.filter(pk=running.pk).update(title='=HYPERLINK("http://example.com","Click")')
    response = client.get("/contracts/register.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    titles = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2) for r in range(2, sheet.max_row + 1)}
    cell = titles[running.reference]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://example.com","Click")'


def test_the_api_lists_the_register_paged_with_the_suppliers_org_id(client, three):
    running, waiting, draft = three
    body = client.get("/api/v1/contracts?limit=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1
    items = client.get("/api/v1/contracts").json()["items"]
    item = next(i for i in items if i["reference"] == running.reference)
    assert item["supplier"]["identifier"].startswith("GB-") and item["value"] == "30000.00"
    assert item["start_date"] == running.starts_on.isoformat() and item["commissioning_body"]["name"]
    assert client.get(f"/api/v1/contracts/{draft.reference}").status_code == 404
    assert client.get("/api/v1/contracts/not-a-reference").status_code == 422
    assert client.get("/api/v1/contracts?kind=lease").status_code == 422


def test_the_register_and_its_api_read_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    first = direct_agreement(accept_as=True)
    with django_assert_max_num_queries(8) as few:
        client.get("/contracts/")
    for number in range(5):
        direct_agreement(first.commissioner_person, issue=True, title=f"Service {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/contracts/")
    with django_assert_max_num_queries(6):
        client.get("/api/v1/contracts")


def test_a_providers_public_page_lists_its_published_agreements_never_a_draft(client, three):
    running, waiting, draft = three
    html = client.get(f"/organisations/{running.provider.slug}/").content.decode()
    assert "Contracts and grants it holds" in html
    assert str(escape(running.title)) in html and f"/contracts/{running.reference}/" in html
    assert str(escape(waiting.title)) not in html  # another provider's
    draft_html = client.get(f"/organisations/{draft.provider.slug}/").content.decode()
    assert "Contracts and grants it holds" not in draft_html and draft.title not in draft_html


def test_a_commissioning_bodys_page_lists_what_it_has_let_and_links_to_the_register(client, three):
    running, waiting, draft = three
    body = running.commissioner
    html = client.get(f"/organisations/{body.slug}/").content.decode()
    assert "Contracts and grants it has let" in html
    assert str(escape(running.title)) in html and "Secret draft" not in html
    assert f"/contracts/?body={body.slug}" in html


def test_the_register_filters_by_supplier_and_keeps_it_in_the_form(client, three):
    running, waiting, _draft = three
    html = client.get(f"/contracts/?supplier={running.provider.slug}").content.decode()
    assert running.reference in html and waiting.reference not in html
    assert f'name="supplier" value="{running.provider.slug}"' in html
    lines = b"".join(client.get(f"/contracts/register.csv?supplier={waiting.provider.slug}").streaming_content)
    assert waiting.reference.encode() in lines and running.reference.encode() not in lines


def test_an_organisations_page_lists_at_most_ten_and_links_to_the_rest(client):
    first = direct_agreement(accept_as=True)
    for _ in range(10):
        direct_agreement(commissioner=first.commissioner_person, provider=first.provider, issue=True)
    html = client.get(f"/organisations/{first.provider.slug}/").content.decode()
    assert "11 agreements in the contracts register" in html and "See all 11 in the register" in html
    assert html.count('href="/contracts/AG-') == 10
