"""Writes for users and memberships: creating members, changing roles, demo accounts."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.accounts.models import NATIONAL_ROLES, Role, User


@transaction.atomic
def add_member(*, actor, organisation, username: str, role: str, password: str | None = None) -> User:
    """An organisation admin adds a user to their own organisation."""
    if actor is not None and not permissions.can_manage_users(actor, organisation.pk):
        raise PermissionDenied(_("Only an administrator of this organisation may add its users."))
    if role not in Role.values or role in NATIONAL_ROLES:
        raise ValidationError({"role": _("Unknown role for an organisation member.")})
    user = User(username=username, organisation=organisation, role=role)
    user.set_password(password) if password else user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


def generate_password() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def ensure_demo_user(*, username: str, role: str, organisation, password: str) -> User:
    """Create or reset a demo account (idempotent)."""
    user, _created = User.objects.get_or_create(username=username)
    user.role = role
    user.organisation = organisation
    user.is_active = True
    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def update_member(member: User, *, actor, role: str | None = None, is_active: bool | None = None) -> User:
    """An organisation admin changes a member's role or switches the account off."""
    if not permissions.can_manage_users(actor, member.organisation_id):
        raise PermissionDenied(_("Only an administrator of this organisation may change its users."))
    if role is not None:
        if role not in Role.values or role in NATIONAL_ROLES:
            raise ValidationError({"role": _("Unknown role for an organisation member.")})
        member.role = role
    if is_active is not None:
        if member.pk == actor.pk and not is_active:
            raise ValidationError({"is_active": _("You cannot switch off your own account.")})
        member.is_active = is_active
    member.save(update_fields=["role", "is_active"])
    return member
