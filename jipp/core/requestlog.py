"""A request id and one structured log line per request.

Each request gets an id (the proxy's `X-Request-ID` when it is a sane token, else a new one), returned
in the `X-Request-ID` header so a user's report can be matched to the log. The log line (logger
`jipp.request`, JSON) holds method, route (the URL pattern, not the path: no ids or search text),
status, duration, the user's role and whether they were logged in: no names, emails or addresses.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

logger = logging.getLogger("jipp.request")

_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "(unresolved)"
    return match.route or match.view_name or "(unresolved)"


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and user.is_authenticated)
        record = {
            "request_id": request.request_id,
            "method": request.method,
            "route": _route(request),
            "status": response.status_code,
            "ms": round((time.monotonic() - started) * 1000, 1),
            "authenticated": authenticated,
            "role": (getattr(user, "role", "") or "") if authenticated else "anonymous",
        }
        level = logging.ERROR if response.status_code >= 500 else logging.INFO
        logger.log(level, json.dumps(record, sort_keys=True), extra={"request_record": record})
        return response
