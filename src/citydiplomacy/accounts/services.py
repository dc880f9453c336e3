"""Writes for users and memberships: creating members, changing roles, passwords (every password
goes through AUTH_PASSWORD_VALIDATORS), API tokens (django-rest-knox: hashed, expiring,
revocable), demo accounts."""

from __future__ import annotations

import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
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
    if password:
        check_password_rules(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
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
    check_password_rules(password, user)
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


# --- passwords -------------------------------------------------------------------------------
def check_password_rules(password: str, user: User | None = None) -> None:
    """AUTH_PASSWORD_VALIDATORS, with their messages under the `password` field."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


@transaction.atomic
def reset_member_password(member: User, *, actor, password: str) -> User:
    """An organisation admin sets a member's new password; the member's API tokens are revoked
    and their web sessions end (the session hash changes with the password)."""
    if not permissions.can_manage_users(actor, member.organisation_id):
        raise PermissionDenied(_("Only an administrator of this organisation may change its users."))
    check_password_rules(password, member)
    member.set_password(password)
    member.save(update_fields=["password"])
    revoke_all_api_tokens(member)
    return member


@transaction.atomic
def change_own_password(user: User, *, old_password: str, new_password: str) -> User:
    """A signed-in user changes their own password; their API tokens are revoked."""
    if not permissions.is_signed_in(user):
        raise PermissionDenied(_("Sign in to change your password."))
    if not user.check_password(old_password):
        raise ValidationError({"old_password": _("Your current password was entered incorrectly.")})
    check_password_rules(new_password, user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    revoke_all_api_tokens(user)
    return user


# --- API tokens ------------------------------------------------------------------------------
def issue_api_token(user: User) -> tuple:
    """A new token for `user`: (AuthToken row, the token text shown once). Expired tokens are
    removed; beyond REST_KNOX["TOKEN_LIMIT_PER_USER"] live tokens, the oldest are revoked."""
    from knox.models import AuthToken
    from knox.settings import knox_settings

    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit:
        keep = AuthToken.objects.filter(user=user).order_by("-created").values_list("pk", flat=True)
        stale = list(keep[limit - 1:])
        if stale:
            AuthToken.objects.filter(pk__in=stale).delete()
    return AuthToken.objects.create(user=user, expiry=knox_settings.TOKEN_TTL)


def revoke_api_token(token) -> None:
    token.delete()


def revoke_all_api_tokens(user: User) -> int:
    from knox.models import AuthToken

    return AuthToken.objects.filter(user=user).delete()[0]
