"""Notifications: messages to users in the application and by email, each user choosing which
kinds to receive on which channel (`NotificationChoice`; without a choice both are on).

Email goes through Django's email backend (settings.EMAIL_BACKEND: the console in development,
SMTP in production) after the surrounding transaction commits, so a rolled-back step sends
nothing. Callers (the domain services) decide who is told what; this module delivers.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from citydiplomacy.accounts.models import (
    Notification,
    NotificationChoice,
    NotificationKind,
    Role,
    User,
)


def _choices(users: list[User], kind: str) -> dict[int, NotificationChoice]:
    return {c.user_id: c for c in NotificationChoice.objects.filter(user__in=users, kind=kind)}


def notify(users: Iterable[User], kind: str, *, subject: str, body: str = "", link: str = "",
           key: str = "") -> int:
    """Tell each user (who wants this kind) in the app and by email; returns how many were told
    in the app. With a `key`, a user already told about it is not told again."""
    return notify_groups([users], kind, subject=subject, body=body, link=link, key=key)


def notify_groups(groups: Iterable[Iterable[User]], kind: str, *, subject: str, body: str = "",
                  link: str = "", key: str = "") -> int:
    """`notify` for several groups at once (e.g. the staff of many organisations) in a few
    queries; each group gets its own email, so no group sees another's addresses."""
    groups = [[u for u in users if u.is_active] for users in groups]
    everyone = [u for users in groups for u in users]
    if key and everyone:
        told = set(Notification.objects.filter(key=key, user__in=everyone).values_list("user_id", flat=True))
        groups = [[u for u in users if u.pk not in told] for users in groups]
        everyone = [u for users in groups for u in users]
    if not everyone:
        return 0
    subject, body = str(subject), str(body)
    choices = _choices(everyone, kind)
    in_app = {u.pk for u in everyone if choices.get(u.pk) is None or choices[u.pk].in_app}
    # A keyed message is recorded for every recipient so that it is sent once; for those who
    # chose email only, the record is born read and never raises the unread count.
    recorded = everyone if key else [u for u in everyone if u.pk in in_app]
    now = timezone.now()
    Notification.objects.bulk_create([
        Notification(user=u, kind=kind, subject=subject[:300], body=body, link=link, key=key,
                     read_at=None if u.pk in in_app else now) for u in recorded], batch_size=1000)
    text = f"{body}\n\n{link}" if link else body
    for users in groups:
        addresses = sorted({u.email for u in users if u.email and (choices.get(u.pk) is None or choices[u.pk].email)})
        if addresses:
            transaction.on_commit(lambda to=addresses: send_mail(subject, text, None, to, fail_silently=True))
    return len(in_app)


def organisation_staff(organisation_id: int) -> QuerySet[User]:
    """Who acts for an organisation: its officers, approvers and admins."""
    return User.objects.filter(organisation_id=organisation_id, is_active=True,
                               role__in=[Role.OFFICER, Role.APPROVER, Role.ADMIN])


def staff_of_organisations(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    """`organisation_staff` of many organisations in one query, by organisation id."""
    staff: dict[int, list[User]] = {}
    for user in User.objects.filter(organisation_id__in=list(organisation_ids), is_active=True,
                                    role__in=[Role.OFFICER, Role.APPROVER, Role.ADMIN]).order_by("pk"):
        staff.setdefault(user.organisation_id, []).append(user)
    return staff


def authority_staff() -> QuerySet[User]:
    return User.objects.filter(role=Role.AUTHORITY, is_active=True)


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when `ids` is None)."""
    queryset = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        queryset = queryset.filter(pk__in=list(ids))
    return queryset.update(read_at=timezone.now())


def choices_of(user: User) -> list[tuple[str, str, bool, bool]]:
    """(kind, label, in_app, email) for every kind, the defaults filled in."""
    stored = {c.kind: c for c in NotificationChoice.objects.filter(user=user)}
    return [(kind, label, stored[kind].in_app if kind in stored else True,
             stored[kind].email if kind in stored else True) for kind, label in NotificationKind.choices]


@transaction.atomic
def save_choices(user: User, wanted: dict[str, tuple[bool, bool]]) -> None:
    """Store the user's (in_app, email) choice per kind; unknown kinds are ignored."""
    for kind in NotificationKind.values:
        in_app, email = wanted.get(kind, (False, False))
        NotificationChoice.objects.update_or_create(user=user, kind=kind,
                                                    defaults={"in_app": in_app, "email": email})
