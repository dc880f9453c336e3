"""Users and their single role in a single organisation.

Roles (see accounts.permissions for what each may do):
viewer, officer, approver, admin belong to one organisation (a LocalGovernment);
oversight is the national oversight body: reads every organisation, edits none.
authority is the permitting authority's staff (the ministry that grants the prior permission of
Municipal Law 5393 art. 74): it reads the agreements it has requests for and decides them, when
the installation says the authority decides in the system (settings.AUTHORITY_DECIDES_IN_SYSTEM).
Notifications and each user's choice of what to receive live here too (accounts.notifications).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    OFFICER = "officer", _("Officer")
    APPROVER = "approver", _("Approver")
    ADMIN = "admin", _("Administrator")
    OVERSIGHT = "oversight", _("National oversight")
    AUTHORITY = "authority", _("Permitting authority")


NATIONAL_ROLES = frozenset({Role.OVERSIGHT, Role.AUTHORITY})


class User(AbstractUser):
    organisation = models.ForeignKey(
        "governments.LocalGovernment", verbose_name=_("organisation"),
        null=True, blank=True, on_delete=models.PROTECT, related_name="members",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.VIEWER)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def clean(self):
        super().clean()
        if self.role not in NATIONAL_ROLES and self.organisation_id is None and not self.is_superuser:
            raise ValidationError({"organisation": _(
                "Every user except oversight and the permitting authority belongs to an organisation.")})
        if self.role in NATIONAL_ROLES and self.organisation_id is not None:
            raise ValidationError({"organisation": _(
                "Oversight and permitting-authority users do not belong to an organisation.")})


class NotificationKind(models.TextChoices):
    PERMISSION_REQUESTED = "permission_requested", _("A municipality asks for permission")
    PERMISSION_DECIDED = "permission_decided", _("The permitting authority decided a request")
    DIRECTIVE = "directive", _("A directive asks your council to act")
    DEADLINE = "deadline", _("A deadline is near: expiry, renewal, a directive or a late permission")
    ANNIVERSARY = "anniversary", _("An anniversary of a tie is near")


class Notification(models.Model):
    """A message to one user about one event, shown in the app (and sent by email when the
    user chose so, see `NotificationChoice`)."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # What the message is about, for messages sent once only (a reminder for one date).
    key = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "key"], condition=~models.Q(key=""),
                                               name="one_notification_per_key")]


class NotificationChoice(models.Model):
    """A user's choice for one kind of notification; without a row both channels are on."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="notification_choices")
    kind = models.CharField(_("kind"), max_length=40, choices=NotificationKind.choices)
    in_app = models.BooleanField(_("in the application"), default=True)
    email = models.BooleanField(_("by email"), default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_choice_per_kind")]
