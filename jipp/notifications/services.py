"""Writing notifications: `notify` for every app, marking read, and the e-mail digest."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from jipp.notifications.kinds import stored
from jipp.notifications.models import Notification, Preference


def _url_of(obj) -> str:
    getter = getattr(obj, "get_absolute_url", None)
    if getter is None:
        return ""
    try:
        return getter()
    except Exception:  # an object without a page: the notification stays without a link
        return ""


def notify(
    recipients: Iterable,
    kind: str,
    obj: Model | None = None,
    *,
    actor=None,
    url: str | None = None,
    **params,
) -> list[Notification]:
    """Leave a notification of `kind` about `obj` for each recipient; e-mail them as they prefer.

    Inputs: users (None and duplicates are dropped, and so is the actor: nobody is told what they
    did themselves), a kind declared in some AppConfig's `notification_kinds`, the object it is
    about (its `get_absolute_url` is the link unless `url` is given) and the parameters of the
    kind's sentence. Parameters are kept so that each reader gets the sentence in their own language:
    pass translatable words lazily (`gettext_lazy`, a TextChoices label) and dates as dates, never
    as text already translated for the actor (see `jipp.notifications.kinds.stored`). Returns the
    notifications created. This is the one way every workflow tells people: e-mails go out through
    the task queue after the transaction commits (so a mail server outage never undoes the change),
    immediately or in the daily digest as each recipient prefers, or not at all.
    """
    seen: set[int] = set()
    people = []
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        if actor is not None and user.pk == actor.pk:
            continue
        seen.add(user.pk)
        people.append(user)
    if not people:
        return []
    target_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    link = url if url is not None else (_url_of(obj) if obj is not None else "")
    clean = {key: stored(value) for key, value in params.items()}
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                actor=actor,
                kind=kind,
                params=clean,
                target_type=target_type,
                target_id=str(obj.pk) if obj is not None else "",
                url=link[:300],
            )
            for user in people
        ]
    )
    ids = [n.pk for n in created if n.pk]
    if ids:
        from jipp.notifications.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user, notification_ids: Iterable[int] | None = None, now: datetime | None = None) -> int:
    """Mark the user's notifications read (all when `notification_ids` is None); returns how many."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=now or timezone.now())


def preference_for(user) -> Preference:
    preference = Preference.objects.filter(user=user).first()
    return preference or Preference(user=user)


@transaction.atomic
def set_preference(*, user, email: str, language: str) -> Preference:
    preference, _created = Preference.objects.get_or_create(user=user)
    preference.email = email
    preference.language = language
    preference.full_clean()
    preference.save()
    return preference
