"""Faults and bad input answered with a clear page, never a traceback.

- A number past what the database can hold (`?innovation=99999999999999999999`, `/kipp/proposals/1e30/`
  style ids): SQLite raises OverflowError for integers past 64 bits. Answered 400, whatever the URL.
- The database unavailable for a moment (restarting, network blip): answered 503 with Retry-After
  and a page that needs no database.

`ReliabilityMiddleware.process_exception` handles what views raise; `server_error` (the project's
handler500) handles the same faults raised elsewhere (another middleware, a template).
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger("jipp.reliability")

RETRY_AFTER_SECONDS = 30


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def _page(request, status: int, title: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    # A standalone template: it must render with the database down (no base.html, no context processors).
    html = loader.get_template("core/fault.html").render({"title": title, "message": message, "status": status})
    return HttpResponse(html, status=status)


def database_unavailable(request) -> HttpResponse:
    response = _page(
        request,
        503,
        _("Service briefly unavailable"),
        _("The database cannot be reached right now. Nothing was lost: please try again in a minute."),
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def number_out_of_range(request) -> HttpResponse:
    return _page(request, 400, _("Bad request"), _("A number in the address or the filters is out of range."))


def is_database_down(exc: BaseException) -> bool:
    """An error from a lost or refused connection, not from a bad query (a locked SQLite file is not one)."""
    if isinstance(exc, InterfaceError):
        return True
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(
        marker in text
        for marker in (
            "connection",
            "could not connect",
            "server closed",
            "terminating",
            "the database system is",
            "unable to open database",
            "disk i/o error",
        )
    )


def response_for(request, exc: BaseException) -> HttpResponse | None:
    if isinstance(exc, OverflowError):
        return number_out_of_range(request)
    if is_database_down(exc):
        logger.warning("Database unavailable: %s", exc.__class__.__name__)
        return database_unavailable(request)
    return None


class ReliabilityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return response_for(request, exception)


def server_error(request, template_name="500.html"):
    """handler500: the faults above get their own clear answer; anything else the styled 500 page."""
    exc = sys.exc_info()[1]
    if exc is not None:
        response = response_for(request, exc)
        if response is not None:
            return response
    from jipp.core.views import server_error as styled_server_error

    return styled_server_error(request)
