"""Server-side rate limits per client address, counted in the shared cache.

`client_address(request)` is the address as seen behind the proxies declared in settings
(`TRUSTED_PROXY_COUNT`: how many proxies of ours append to X-Forwarded-For; 0 = use REMOTE_ADDR).
Never the User-Agent: a client changes it at will.

`RateLimitMiddleware` applies `RATE_LIMITS`, a list of rules:
    {"name": "login", "methods": ["POST"], "path": "/accounts/login/", "limit": 30, "window": 900,
     "anonymous_only": False, "authorization": None}
`path` is a prefix (or `regex` a pattern matched against the path); `authorization` "token" matches
requests carrying `Authorization: Token ...` (counted per address and token), "none" requests with
neither that header nor a session cookie. Over the limit: 429 with Retry-After.
"""

from __future__ import annotations

import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from jipp.core.net import client_ip as client_address


def hit(scope: str, key: str, *, limit: int, window: int) -> tuple[bool, int]:
    """Count one hit of `key` in `scope` in the current window; (allowed, seconds until the window ends)."""
    now = int(time.time())
    bucket = now // window
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{bucket}:{digest}"
    added = cache.add(cache_key, 1, timeout=window + 5)
    count = 1 if added else cache.incr(cache_key)
    return count <= limit, window - (now % window)


def _matches(rule: dict, request) -> bool:
    if request.method not in rule.get("methods", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]):
        return False
    if "regex" in rule:
        if not re.match(rule["regex"], request.path):
            return False
    elif not request.path.startswith(rule["path"]):
        return False
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    wanted = rule.get("authorization")
    if wanted == "token" and not authorization.startswith("Token "):
        return False
    return not (wanted == "none" and (authorization or request.COOKIES.get(settings.SESSION_COOKIE_NAME)))


def too_many(request, retry_after: int) -> HttpResponse:
    message = _("Too many requests from your address. Please wait a little and try again.")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    return response


class RateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "RATE_LIMITS_ENABLED", True):
            address = client_address(request)
            for rule in getattr(settings, "RATE_LIMITS", []):
                if not _matches(rule, request):
                    continue
                key = address
                if rule.get("authorization") == "token":
                    key = f"{address}|{request.META.get('HTTP_AUTHORIZATION', '')}"
                allowed, retry_after = hit(rule["name"], key, limit=rule["limit"], window=rule["window"])
                if not allowed:
                    return too_many(request, retry_after)
        return self.get_response(request)
