"""Pages that belong to no stage: home, legal pages, errors and the health check."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .home import home_figures


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Explain the service to each kind of visitor and send them on their way."""
    return render(request, "frontend/home.html", {"counts": home_figures()})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement."""
    return render(request, "frontend/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice."""
    return render(request, "frontend/privacy.html")


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    """Which cookies the service sets, and why none of them need consent."""
    return render(request, "frontend/cookies.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        return JsonResponse({"status": "unavailable", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error(request: HttpRequest, status: int, title: str, template: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": title}, status=status)
    return render(request, template, {"title": title}, status=status)


def bad_request(request, exception=None):
    """400 in the GOV.UK style (or JSON under /api/)."""
    return _error(request, 400, "Sorry, there is a problem with that request", "frontend/errors/400.html")


def forbidden(request, exception=None):
    """403 in the GOV.UK style (or JSON under /api/)."""
    return _error(request, 403, "You cannot do that", "frontend/errors/403.html")


def not_found(request, exception=None):
    """404 in the GOV.UK style (or JSON under /api/)."""
    return _error(request, 404, "Page not found", "frontend/errors/404.html")


def server_error(request):
    """500 in the GOV.UK style, rendered without touching the database."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Sorry, there is a problem with the service"}, status=500)
    return render(
        request, "frontend/errors/500.html", {"title": "Sorry, there is a problem with the service"}, status=500
    )


def csrf_failure(request, reason=""):
    """A form sent without its security token: explain, never a bare 403."""
    return _error(request, 403, "Your form could not be sent", "frontend/errors/csrf.html")
