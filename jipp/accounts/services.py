"""Provisioning accounts the way the Ministry does it.

Admin Kementerian creates Admin Lokal (and evaluator, panelist, hub admin, mentor) accounts;
an Admin Lokal creates UPP accounts for its own agency's units only. Every new account gets a
temporary password and must change it at first login.
"""

import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from jipp.accounts.models import Role, User
from jipp.regions.models import Agency, Region, ServiceUnit

MINISTRY_CREATES = {Role.ADMIN_KEMENTERIAN, Role.ADMIN_LOKAL, Role.EVALUATOR, Role.PANELIS, Role.HUB_ADMIN, Role.MENTOR}


@dataclass
class NewAccount:
    user: User
    temporary_password: str


def roles_creatable_by(user: User) -> list[str]:
    if user.is_ministry:
        return [role for role in Role.values if role in MINISTRY_CREATES or role == Role.UPP]
    if user.has_perm("accounts.list_users"):
        return [Role.UPP]
    return []


def generate_temporary_password() -> str:
    # Readable but strong: 4 groups of 4 characters from an alphabet without look-alikes.
    alphabet = "abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


@transaction.atomic
def create_account(
    *,
    created_by: User,
    username: str,
    email: str,
    full_name: str,
    role: str,
    agency: Agency | None = None,
    unit: ServiceUnit | None = None,
    affiliation: str = "",
    home_province: Region | None = None,
) -> NewAccount:
    """Create an account on behalf of `created_by`, enforcing who may provision whom.

    Raises PermissionDenied when the creator may not create this role for this agency/unit,
    ValidationError when the data is invalid. Nothing is saved in either case.
    """
    if role == Role.UPP:
        if unit is None:
            raise ValidationError({"unit": _("A UPP operator needs a service unit.")})
        if not created_by.has_perm("accounts.create_upp", unit):
            raise PermissionDenied(_("You can only create accounts for your own agency's service units."))
        agency = unit.agency
    elif role not in MINISTRY_CREATES or not created_by.has_perm("accounts.create_admin_lokal"):
        raise PermissionDenied(_("Only the Ministry's secretariat can create this kind of account."))
    if role not in (Role.ADMIN_LOKAL, Role.HUB_ADMIN, Role.UPP):
        agency = agency if role in (Role.EVALUATOR, Role.PANELIS, Role.MENTOR) else None
    if User.objects.filter(username__iexact=username.strip()).exists():
        # One rule for the form and the API: names differing only by case are the same person to users.
        raise ValidationError({"username": _("This username is already taken.")})
    first, _sep, last = full_name.strip().partition(" ")
    password = generate_temporary_password()
    user = User(
        username=username.strip(),
        email=email.strip(),
        first_name=first,
        last_name=last,
        role=role,
        agency=agency,
        unit=unit if role == Role.UPP else None,
        affiliation=affiliation,
        home_province=home_province,
        must_change_password=True,
        created_by=created_by,
        is_staff=role == Role.ADMIN_KEMENTERIAN,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    if user.email:
        transaction.on_commit(lambda: _send_welcome(user, password))
    return NewAccount(user=user, temporary_password=password)


def _send_welcome(user: User, password: str) -> None:
    send_mail(
        subject=_("Your Hub JIPP account"),
        message=_(
            "An account was created for you on Hub JIPP.\n\nUsername: %(username)s\n"
            "Temporary password: %(password)s\n\nYou will be asked to choose a new password when you first log in."
        )
        % {"username": user.username, "password": password},
        from_email=None,
        recipient_list=[user.email],
        fail_silently=True,
    )


@transaction.atomic
def set_account_active(*, changed_by: User, user: User, active: bool) -> User:
    if not changed_by.has_perm("accounts.change_user_status", user) or user.pk == changed_by.pk:
        raise PermissionDenied(_("You cannot change this account."))
    user.is_active = active
    user.save(update_fields=["is_active"])
    return user


def visible_users(user: User):
    """The accounts `user` may list: all for the Ministry, the own agency's for an Admin Lokal."""
    qs = User.objects.select_related("agency", "unit")
    if user.is_ministry:
        return qs
    if user.has_perm("accounts.list_users"):
        return qs.filter(agency_id=user.agency_id)
    return qs.none()
