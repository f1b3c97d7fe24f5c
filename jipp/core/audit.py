"""The audit log read by people: each entry as a sentence, its object named and linked, changes labelled.

Works on django-auditlog's LogEntry without importing later apps: models are found through the
content type, links through the AppConfig hook `audit_urls = {model_name: url_name}` (the URL
takes the object's primary key).
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import NoReverseMatch, reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from jipp.core.formatting import format_day, format_moment, format_number

# Bookkeeping fields nobody needs to read in the log.
HIDDEN_FIELDS = {"updated_at", "version", "search_text", "search_vector", "last_saved_by"}
_DEFAULT_REPR = re.compile(r"^\w+ object \((?P<pk>[^)]*)\)$")


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Entry:
    pk: int
    when: object
    actor: str
    actor_agency: str
    action: str
    sentence: str
    model_label: str
    object_name: str
    object_id: str
    url: str
    changes: list[Change] = field(default_factory=list)


def _model_of(entry):
    ct = entry.content_type
    try:
        return apps.get_model(ct.app_label, ct.model)
    except LookupError:
        return None


def _object_name(entry, model) -> str:
    name = entry.object_repr or ""
    match = _DEFAULT_REPR.match(name)
    if match or not name:
        label = str(model._meta.verbose_name) if model else entry.content_type.model
        return f"{label} #{entry.object_pk}"
    return name


def _url(entry, model) -> str:
    if model is None or entry.action == LogEntry.Action.DELETE:
        return ""
    config = apps.get_app_config(model._meta.app_label)
    url_name = (getattr(config, "audit_urls", None) or {}).get(model._meta.model_name)
    if not url_name:
        return ""
    try:
        return reverse(url_name, args=[entry.object_pk])
    except NoReverseMatch:
        return ""


def _value(model_field, raw) -> str:
    """One stored value (auditlog keeps text) as a person reads it."""
    if raw in (None, "None", ""):
        return "—"
    if model_field is not None:
        choices = getattr(model_field, "flatchoices", None)
        if choices:
            labels = {str(key): label for key, label in choices}
            if str(raw) in labels:
                return str(labels[str(raw)])
        internal = model_field.get_internal_type()
        if internal == "BooleanField":
            return _("Yes") if str(raw) in ("True", "true", "1") else _("No")
        if internal == "DateTimeField":
            moment = parse_datetime(str(raw))
            if moment is not None:
                return format_moment(moment)
        if internal == "DateField":
            try:
                return format_day(dt.date.fromisoformat(str(raw)[:10]))
            except ValueError:
                pass
        if internal in ("DecimalField", "FloatField"):
            try:
                number = Decimal(str(raw))
            except InvalidOperation:
                return str(raw)
            places = min(max(-number.normalize().as_tuple().exponent, 0), 2)
            return format_number(number, places)
        if internal == "ForeignKey":
            return f"#{raw}"
    text = str(raw)
    return text if len(text) <= 200 else text[:199] + "…"


def _changes(entry, model) -> list[Change]:
    raw = entry.changes
    if isinstance(raw, str):
        import json

        try:
            raw = json.loads(raw)
        except ValueError:
            raw = {}
    rows = []
    for name, change in (raw or {}).items():
        if name in HIDDEN_FIELDS:
            continue
        model_field = None
        label = name
        if model is not None:
            try:
                model_field = model._meta.get_field(name)
                label = str(getattr(model_field, "verbose_name", name))
            except FieldDoesNotExist:
                pass
        if isinstance(change, dict):  # many-to-many: {"type": "m2m", "operation": "add", "objects": [...]}
            objects = ", ".join(str(o) for o in change.get("objects", []))
            if change.get("operation") == "delete":
                rows.append(Change(label[:1].upper() + label[1:], objects, "—"))
            else:
                rows.append(Change(label[:1].upper() + label[1:], "—", objects))
            continue
        if not isinstance(change, list | tuple) or len(change) != 2:
            continue
        old, new = change
        rows.append(Change(label[:1].upper() + label[1:], _value(model_field, old), _value(model_field, new)))
    return rows


def _person(entry) -> tuple[str, str]:
    actor = entry.actor
    if actor is None:
        return _("The system"), ""
    name = actor.get_full_name() or actor.username
    role = actor.get_role_display() if hasattr(actor, "get_role_display") and actor.role else ""
    agency = str(actor.agency) if getattr(actor, "agency_id", None) else ""
    who = f"{name} ({role})" if role else name
    return who, agency


def _sentence(entry, who: str, model_label: str, name: str, changes: list[Change], status_change) -> str:
    params = {"who": who, "what": model_label, "name": name}
    if entry.action == LogEntry.Action.CREATE:
        return _("%(who)s created the %(what)s “%(name)s”.") % params
    if entry.action == LogEntry.Action.DELETE:
        return _("%(who)s deleted the %(what)s “%(name)s”.") % params
    if entry.action == LogEntry.Action.ACCESS:
        return _("%(who)s opened the %(what)s “%(name)s”.") % params
    if status_change is not None:
        params.update(old=status_change.old, new=status_change.new)
        return _("%(who)s moved the %(what)s “%(name)s” from “%(old)s” to “%(new)s”.") % params
    if len(changes) == 1:
        params["field"] = changes[0].label.lower()
        return _("%(who)s changed the %(field)s of the %(what)s “%(name)s”.") % params
    return _("%(who)s changed the %(what)s “%(name)s”.") % params


def describe(entry) -> Entry:
    """A LogEntry (with actor, actor's agency and content type loaded) as a readable Entry."""
    model = _model_of(entry)
    model_label = str(model._meta.verbose_name) if model else entry.content_type.model
    name = _object_name(entry, model)
    changes = _changes(entry, model) if entry.action == LogEntry.Action.UPDATE else []
    status_change = None
    if model is not None and entry.action == LogEntry.Action.UPDATE:
        try:
            status_label = str(model._meta.get_field("status").verbose_name)
        except FieldDoesNotExist:
            status_label = None
        status_change = next((c for c in changes if status_label and c.label.lower() == status_label.lower()), None)
    who, agency = _person(entry)
    return Entry(
        pk=entry.pk,
        when=entry.timestamp,
        actor=who,
        actor_agency=agency,
        action=entry.get_action_display(),
        sentence=_sentence(entry, who, model_label, name, changes, status_change),
        model_label=model_label[:1].upper() + model_label[1:],
        object_name=name,
        object_id=str(entry.object_pk),
        url=_url(entry, model),
        changes=changes,
    )
