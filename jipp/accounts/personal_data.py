"""A person's data: everything the platform holds about them, as JSON; and their anonymisation.

`export_person(user)` gathers the account, its profile fields, memberships (any row of any app that
points at the person, by model and id), records they authored (the same, for `created_by`-like
links) and the audit entries about them or made by them. It reads models through Django's registry,
so it sees later apps without importing them.

`anonymise_person(user=..., by=...)` replaces the name, e-mail and username, disables the login,
revokes API tokens and keeps every record they authored (now shown under a neutral label). Apps may
refuse it through an AppConfig hook `anonymise_refusal(user) -> str | None` (e.g. the evaluation: an
evaluator of an edition whose results are not frozen yet). The change is in the audit log with the
person who made it as its actor.
"""

from __future__ import annotations

from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jipp.accounts.models import User

PROFILE_FIELDS = ("username", "first_name", "last_name", "email", "role", "affiliation", "timezone", "is_active",
                  "date_joined", "last_login")  # fmt: skip
AUTHORED_NAMES = ("created_by", "uploaded_by", "changed_by", "published_by", "responded_by", "actor", "author")


def _links_to_user() -> list[tuple[type[models.Model], str]]:
    found = []
    for model in apps.get_models():
        if model is LogEntry:
            continue
        for field in model._meta.get_fields():
            linked = isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField)
            if linked and field.related_model is User:  # concrete links only (not reverse relations)
                found.append((model, field.name))
    return found


def export_person(user: User) -> dict:
    """Everything held about `user`, JSON-ready: {"account", "memberships", "authored", "audit"}."""
    account = {name: getattr(user, name) for name in PROFILE_FIELDS}
    account.update(
        id=user.pk,
        agency=user.agency.name if user.agency_id else None,
        unit=user.unit.name if user.unit_id else None,
        date_joined=user.date_joined.isoformat(),
        last_login=user.last_login.isoformat() if user.last_login else None,
    )
    memberships: dict[str, list[int]] = {}
    authored: dict[str, list[int]] = {}
    for model, field in _links_to_user():
        ids = sorted(model.objects.filter(**{field: user}).values_list("pk", flat=True).distinct())
        if ids:
            bucket = authored if field in AUTHORED_NAMES else memberships
            bucket[f"{model._meta.label}.{field}"] = ids
    user_type = ContentType.objects.get_for_model(User)
    entries = LogEntry.objects.filter(
        models.Q(content_type=user_type, object_pk=str(user.pk)) | models.Q(actor=user)
    ).order_by("timestamp", "pk")
    audit = [
        {"id": e.pk, "at": e.timestamp.isoformat(), "action": e.get_action_display(),
         "object": f"{e.content_type.app_label}.{e.content_type.model}:{e.object_pk}",
         "by_this_person": e.actor_id == user.pk}
        for e in entries.select_related("content_type")
    ]  # fmt: skip
    return {"account": account, "memberships": memberships, "authored": authored, "audit": audit}


def refusal(user: User) -> str | None:
    """Why `user` may not be anonymised now (the first app that says so), or None."""
    for config in apps.get_app_configs():
        hook = getattr(config, "anonymise_refusal", None)
        reason = hook(user) if hook else None
        if reason:
            return str(reason)
    return None


@transaction.atomic
def anonymise_person(*, user: User, by: User) -> User:
    """Anonymise `user` (see the module). Raises ValidationError with the reason when a rule forbids it."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.username.startswith("anonymised-"):
        raise ValidationError(_("This account was already anonymised."), code="already")
    if user.pk == by.pk:
        raise ValidationError(_("You cannot anonymise your own account."))
    reason = refusal(user)
    if reason:
        raise ValidationError(reason, code="refused")
    with set_actor(by):
        user.username = f"anonymised-{user.pk}"
        user.first_name = _("Former user")
        user.last_name = f"#{user.pk}"
        user.email = ""
        user.affiliation = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    user.api_tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
    return user
