"""Users and their single role in a single organisation.

Roles (see accounts.permissions for what each may do):
viewer, officer, approver, admin belong to one organisation (a LocalGovernment);
oversight is the national oversight body: reads every organisation, edits none.
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
        if self.role != Role.OVERSIGHT and self.organisation_id is None and not self.is_superuser:
            raise ValidationError({"organisation": _("Every user except oversight belongs to an organisation.")})
        if self.role == Role.OVERSIGHT and self.organisation_id is not None:
            raise ValidationError({"organisation": _("Oversight users do not belong to an organisation.")})
