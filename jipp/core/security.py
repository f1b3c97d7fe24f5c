"""Security headers on every response: a strict Content-Security-Policy and a Permissions-Policy.

The policy allows scripts and styles from this site only: no inline script or style, no eval. The
templates follow it (no <script> without src, no style="..." attributes, no on...= handlers; htmx is
configured without eval in base.html). Settings:

- CSP_POLICY: the directives (a dict of directive -> list of sources);
- CSP_EXEMPT_STYLE_PREFIXES: paths whose third-party page injects <style> elements (the API docs);
  their style-src also allows 'unsafe-inline'; script-src stays strict everywhere;
- PERMISSIONS_POLICY: features the site never uses, switched off.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

DEFAULT_PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}


def csp_header(path: str) -> str:
    policy = {k: list(v) for k, v in getattr(settings, "CSP_POLICY", DEFAULT_CSP).items()}
    if any(path.startswith(prefix) for prefix in getattr(settings, "CSP_EXEMPT_STYLE_PREFIXES", ())):
        policy["style-src"] = [*policy.get("style-src", ["'self'"]), "'unsafe-inline'"]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in policy.items())


def permissions_policy_header() -> str:
    policy = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", csp_header(request.path))
        response.setdefault("Permissions-Policy", permissions_policy_header())
        return response


class SessionTimeoutMiddleware:
    """Log out after `SESSION_IDLE_TIMEOUT` seconds without a request, and `SESSION_COOKIE_AGE` after login
    whatever the activity (the cookie's own age). The last-seen time is written at most once a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        import time

        from django.contrib.auth import logout

        user = getattr(request, "user", None)
        idle = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 0) or 0)
        if idle and user is not None and user.is_authenticated:
            now = int(time.time())
            seen = request.session.get("_seen")
            if seen is not None and now - int(seen) > idle:
                logout(request)
            elif seen is None or now - int(seen) >= 60:
                request.session["_seen"] = now
        return self.get_response(request)


def start_idle_clock(sender, request, user, **kwargs):
    """At login: the idle clock starts (saved with the login's own session write, no extra query later)."""
    import time

    if request is not None and hasattr(request, "session"):
        request.session["_seen"] = int(time.time())
