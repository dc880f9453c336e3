"""Model fields whose meaning recurs across apps: the user who did something to a record."""

from __future__ import annotations

from django.conf import settings
from django.db import models


def acting_user(verbose_name=None, *, required: bool = False) -> models.ForeignKey:
    """The user who created, decided or recorded a row. PROTECT: a user who left a trace is
    deactivated, never deleted, so the record keeps who acted; no reverse accessor on User."""
    optional = {} if required else {"null": True, "blank": True}
    return models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=verbose_name,
                             on_delete=models.PROTECT, related_name="+", **optional)
