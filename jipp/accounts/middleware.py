from django.shortcuts import redirect
from django.urls import reverse


class ForcePasswordChangeMiddleware:
    """A new account must choose its own password before doing anything else."""

    allowed_prefixes = ("/static/", "/i18n/", "/accounts/logout/", "/accounts/password/change/", "/jsi18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.must_change_password
            and not request.path.startswith(self.allowed_prefixes)
        ):
            return redirect(reverse("accounts:password_change"))
        return self.get_response(request)
