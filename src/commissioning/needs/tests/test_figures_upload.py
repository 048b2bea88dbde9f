"""Ward figures from a CSV file: every bad row reported by its line and why, in both modes."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from commissioning.audit.models import AuditEvent

from .. import services
from ..models import WardFigure
from .factories import ARMLEY, BRAMLEY, assessment_for, csv_upload

pytestmark = pytest.mark.django_db

GOOD = f"""ward code,indicator,value,year
{ARMLEY},Young carers known to services,41,2024
{BRAMLEY},Young carers known to services,"1,230",2024
Kirkstall,Young carers known to services,12.5,2025
"""

MIXED = f"""Ward code,Indicator,Value,Year
{ARMLEY},Young carers,41,2024
E05999999,Young carers,10,2024
{BRAMLEY},Young carers,lots,2024
{BRAMLEY},Young carers,12,1850
,,,
{ARMLEY},Young carers,44,2024
Kirkstall,,7,twenty
"""


def upload(commissioner, assessment, text, mode=services.IMPORT_GOOD_ROWS, name="figures.csv"):
    return services.ward_figures_import(
        actor=commissioner, assessment=assessment, upload=csv_upload(text, name), mode=mode
    )


def refusal(commissioner, assessment, upload_file) -> list[str]:
    with pytest.raises(services.NeedsError) as caught:
        services.ward_figures_import(
            actor=commissioner, assessment=assessment, upload=upload_file, mode=services.IMPORT_GOOD_ROWS
        )
    return caught.value.errors["file"]


def test_a_good_file_is_imported_whole_with_codes_names_and_commas(commissioner):
    assessment = assessment_for(commissioner)
    result = upload(commissioner, assessment, GOOD)
    assert result.saved and result.added == 3 and not result.bad and not result.replaced
    values = {(f.ward.name, f.year): f.value for f in WardFigure.objects.select_related("ward")}
    assert values == {
        ("Armley", 2024): Decimal("41"),
        ("Bramley & Stanningley", 2024): Decimal("1230"),
        ("Kirkstall", 2025): Decimal("12.5"),
    }
    event = AuditEvent.objects.get(verb="assessment.ward_figures_import")
    assert event.after["added"] == 3 and event.after["bad_lines"] == []


def test_each_bad_row_is_reported_by_its_line_with_every_reason(commissioner):
    assessment = assessment_for(commissioner)
    result = upload(commissioner, assessment, MIXED)
    assert [row.message for row in result.bad] == [
        "Line 3: there is no Leeds ward \u201cE05999999\u201d",
        "Line 4: the value \u201clots\u201d is not a number",
        f"Line 5: the year must be from 2000 to {services.figure_years().stop - 1}",
        "Line 7: line 2 already gives Young carers for Armley in 2024",
        "Line 8: enter the indicator; the year \u201ctwenty\u201d is not a year like 2025",
    ]


def test_the_good_rows_are_imported_when_the_page_says_so(commissioner):
    assessment = assessment_for(commissioner)
    result = upload(commissioner, assessment, MIXED, mode=services.IMPORT_GOOD_ROWS)
    assert result.saved and result.added == 1 and len(result.bad) == 5
    assert WardFigure.objects.get().value == 41


def test_nothing_is_imported_unless_every_row_is_good_when_the_page_says_so(commissioner):
    assessment = assessment_for(commissioner)
    result = upload(commissioner, assessment, MIXED, mode=services.IMPORT_ALL_OR_NOTHING)
    assert not result.saved and result.added == 0 and len(result.bad) == 5
    assert not WardFigure.objects.exists()
    assert not AuditEvent.objects.filter(verb="assessment.ward_figures_import").exists()
    whole = upload(commissioner, assessment, GOOD, mode=services.IMPORT_ALL_OR_NOTHING)
    assert whole.saved and whole.added == 3


def test_a_figure_already_held_is_replaced_and_the_result_says_so(commissioner):
    assessment = assessment_for(commissioner)
    upload(commissioner, assessment, GOOD)
    result = upload(
        commissioner, assessment, "ward name,indicator,value,year\nArmley,young carers known to services,45,2024\n"
    )
    assert result.saved and result.added == 0
    assert result.replaced == ["Line 2: Armley, Young carers known to services, 2024: 41 replaced by 45"]
    assert WardFigure.objects.get(ward__code=ARMLEY).value == 45
    assert WardFigure.objects.count() == 3


def test_a_file_of_only_bad_rows_imports_nothing_in_either_mode(commissioner):
    assessment = assessment_for(commissioner)
    result = upload(commissioner, assessment, "ward,indicator,value,year\nNowhere,X,1,2024\n")
    assert not result.saved and [r.line for r in result.bad] == [2]


def test_an_empty_file_is_refused(commissioner):
    assessment = assessment_for(commissioner)
    assert refusal(commissioner, assessment, csv_upload("")) == ["The file is empty"]
    assert refusal(commissioner, assessment, csv_upload("ward code,indicator,value,year\n")) == [
        "The file has a header row but no figures"
    ]


def test_a_file_that_is_not_csv_is_refused(commissioner):
    assessment = assessment_for(commissioner)
    assert "must be a CSV file" in refusal(commissioner, assessment, SimpleUploadedFile("f.pdf", b"%PDF-1.7"))[0]
    assert "not a CSV file" in refusal(commissioner, assessment, SimpleUploadedFile("f.csv", b"PK\x03\x04\x00\x00"))[0]
    latin = SimpleUploadedFile("f.csv", "ward,indicator,value,year\nArmley,Caf\u00e9s,1,2024\n".encode("latin-1"))
    assert "UTF-8" in refusal(commissioner, assessment, latin)[0]


def test_a_file_without_the_columns_is_refused_naming_what_it_lacks(commissioner):
    assessment = assessment_for(commissioner)
    problem = refusal(commissioner, assessment, csv_upload("place,what,how many\nArmley,X,1\n"))[0]
    assert problem.endswith("it lacks ward code or ward name, indicator, value, year")


def test_a_huge_file_is_refused_before_it_is_read(commissioner, settings):
    settings.NEEDS_FIGURES_FILE_MAX_KB = 1
    assessment = assessment_for(commissioner)
    text = "ward code,indicator,value,year\n" + f"{ARMLEY},Young carers,1,2024\n" * 100
    assert refusal(commissioner, assessment, csv_upload(text)) == [
        "The file must be smaller than 1 KB: split it into smaller files"
    ]


def test_a_file_with_too_many_rows_is_refused(commissioner, settings):
    settings.NEEDS_FIGURES_MAX_ROWS = 2
    assessment = assessment_for(commissioner)
    assert refusal(commissioner, assessment, csv_upload(GOOD)) == [
        "The file has more than 2 rows: split it into smaller files"
    ]
    assert not WardFigure.objects.exists()


def test_a_mode_must_be_chosen(commissioner):
    assessment = assessment_for(commissioner)
    with pytest.raises(services.NeedsError) as caught:
        upload(commissioner, assessment, GOOD, mode="some")
    assert "mode" in caught.value.errors


def test_a_byte_order_mark_and_spreadsheet_line_endings_are_read(commissioner):
    assessment = assessment_for(commissioner)
    text = "\ufeffWard Code,Indicator,Value,Year\r\n" + f"{ARMLEY},Young carers,3,2024\r\n"
    assert upload(commissioner, assessment, text).added == 1


def test_values_that_only_look_like_numbers_are_refused(commissioner):
    assessment = assessment_for(commissioner)
    text = "ward code,indicator,value,year\n" + "".join(
        f"{ARMLEY},I{n},{v},2024\n" for n, v in enumerate(["1e4", "NaN", "Infinity", "1,", "0.123456", "12345678901"])
    )
    result = upload(commissioner, assessment, text)
    assert not result.saved and len(result.bad) == 6
