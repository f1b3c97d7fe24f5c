"""Personal API tokens, stored hashed: issue, revoke, and the DRF authentication class.

Keys are 256-bit random strings (`jipp_` + 43 characters), so one SHA-256 digest suffices to store them
(no salt or slow hash is needed for a key nobody chose). `Authorization: Token <key>` as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from jipp.accounts.models import ApiToken, User

PREFIX = "jipp_"
MAX_ACTIVE_TOKENS = 10
# last_used_at is written at most this often per token (one write per request would be waste).
TOUCH_EVERY = dt.timedelta(minutes=5)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def issue_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns it and its key (the only time the key exists in clear)."""
    name = (name or "").strip()[:80] or _("API token")
    if user.api_tokens.filter(revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        from django.core.exceptions import ValidationError

        raise ValidationError(_("You have %(n)d active tokens: revoke one first.") % {"n": MAX_ACTIVE_TOKENS})
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[: len(PREFIX) + 4], key_hash=digest(key))
    return token, key


def revoke_token(*, user: User, token_id: int) -> bool:
    """Revoke one of `user`'s own tokens; False when there is no such active token of theirs."""
    return bool(
        ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


class HashedTokenAuthentication(TokenAuthentication):
    """DRF authentication by `Authorization: Token <key>` against the stored digests."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=digest(key), revoked_at__isnull=True).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is deactivated."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token
