"""The public contracts register: search and filter every issued agreement, download it as CSV, read one."""

import csv
import tempfile

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import register
from ..assessments import RATING_LABELS, latest_assessment
from ..models import AgreementKind, VariationStatus


class _Echo:
    def write(self, value):
        return value


def _filters(request) -> register.RegisterFilter:
    kind = request.GET.get("kind", "")
    live = request.GET.get("live", "")
    return register.RegisterFilter(
        query=request.GET.get("q", "")[:200],
        body=request.GET.get("body", "")[:220],
        supplier=request.GET.get("supplier", "")[:220],
        kind=kind if kind in AgreementKind.values else "",
        live=live if live in ("live", "ended") else "",
    )


@require_GET
def register_page(request: HttpRequest) -> HttpResponse:
    """Every issued or accepted agreement, to search, filter and page through; with the CSV download."""
    filters = _filters(request)
    page = Paginator(register.register_rows(filters), settings.FINDER_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "contracts/register/list.html",
        {
            "page": page,
            "rows": [(a, register.org_id(a.provider), register.is_vcse(a.provider)) for a in page.object_list],
            "filters": filters,
            "bodies": register.bodies_published(),
            "query_string": params.urlencode(),
        },
    )


@require_GET
def register_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The register (with the page's filters) as CSV, one line per agreement, streamed."""
    writer = csv.writer(_Echo())
    rows = register.register_rows(_filters(request)).iterator(chunk_size=500)
    lines = (writer.writerow(line) for line in _lines(rows))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="contracts-register.csv"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def register_xlsx(request: HttpRequest) -> FileResponse:
    """The register (with the page's filters) as an Excel workbook: the CSV's columns, numbers and dates typed.

    Written a row at a time to a temporary file that spills to disk when large, then sent from it.
    """
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    register.write_xlsx(register.register_rows(_filters(request)).iterator(chunk_size=500), out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename="contracts-register.xlsx", content_type=XLSX)


def _lines(rows):
    yield register.COLUMNS
    for agreement in rows:
        yield register.register_line(agreement)


@require_GET
def public_agreement(request: HttpRequest, reference: str) -> HttpResponse:
    """One agreement of the register: the published facts and KPIs, never its monitoring or equality counts."""
    agreement = register.register_agreement(reference)
    if agreement is None:
        raise Http404
    return render(
        request,
        "contracts/register/agreement.html",
        {
            "agreement": agreement,
            "line": dict(zip(register.COLUMNS, register.register_line(agreement), strict=True)),
            "published_measures": [m for m in agreement.measures.all() if m.published],
            "assessment": latest_assessment(agreement) if agreement.needs_performance_assessment else None,
            "ratings": RATING_LABELS,
            "varied": agreement.variations.filter(status=VariationStatus.APPROVED).count(),
        },
    )
