"""Activating a Turkish municipality of the national registry as an organisation with users.

The registry holds every municipality and special provincial administration of Türkiye
(governments.municipalities, with its official code). An organisation is a local government
with members (LocalGovernment.is_organisation): activating one gives the municipality's own
registry record its first user, an administrator, who then adds the others (accounts.services).
The administrator chooses their own password through a one-time set-password link (Django's
password-reset token: it expires after PASSWORD_RESET_TIMEOUT and with the first password set),
sent by email when an address is given and shown once to whoever activated it.

Bad input (an unknown code, a municipality already active, a taken username, a malformed email
address) is refused with a clear message and changes nothing. Who may: accounts.permissions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from citydiplomacy.accounts import permissions
from citydiplomacy.accounts.models import Role, User
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.governments.municipalities import KINDS
from citydiplomacy.governments.naming import search_key

SHOWN = 30


@dataclass(frozen=True)
class Activation:
    municipality: LocalGovernment
    admin: User
    set_password_path: str  # relative to the site; valid once


def municipalities() -> QuerySet[LocalGovernment]:
    """Türkiye's municipalities of the registry (those with an official code), each marked
    `is_organisation_record` when it already has users."""
    members = User.objects.filter(organisation=OuterRef("pk"))
    return (LocalGovernment.objects.filter(country_code="TR", kind__in=KINDS).exclude(official_code="")
            .annotate(is_organisation_record=Exists(members)).order_by("region_code", "name"))


def search(query: str) -> list[LocalGovernment]:
    """At most SHOWN municipalities whose name or official code matches `query`."""
    query = (query or "").strip()
    found = municipalities()
    if query:
        by_name = Q()
        for word in search_key(query).split():
            by_name &= Q(search_text__contains=word)
        found = found.filter(Q(official_code__iexact=query) | by_name)
    return list(found[:SHOWN])


def find(code: str) -> LocalGovernment:
    code = (code or "").strip().upper()
    found = municipalities().filter(official_code=code).first() if code else None
    if found is None:
        raise ValidationError({"code": _("Unknown municipality code “%(code)s”: no Turkish municipality in the "
                                         "registry has it. Search the list by name to find its code.")
                                       % {"code": code}})
    return found


def set_password_path(user: User) -> str:
    return reverse("accounts:set-password", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})


@transaction.atomic
def activate_municipality(*, actor, code: str, username: str, email: str = "",
                          site_url: str = "") -> Activation:
    """Make the municipality with this official code an organisation with its first
    administrator (`actor` None: the management command)."""
    if actor is not None and not permissions.can_activate_municipalities(actor):
        raise PermissionDenied(_("Only national oversight activates municipalities."))
    municipality = find(code)
    # the row lock makes two simultaneous activations of one municipality wait for each other
    LocalGovernment.objects.select_for_update().filter(pk=municipality.pk).first()
    users = User.objects.filter(organisation=municipality).count()
    if users:
        raise ValidationError({"code": _("%(name)s (%(code)s) is already active with %(count)d user(s); its "
                                         "administrator adds the others.")
                                       % {"name": municipality.name, "code": municipality.official_code,
                                          "count": users}})
    username, email = (username or "").strip(), (email or "").strip()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Give the administrator's username.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("The username “%(username)s” is taken.") % {"username": username}]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("“%(email)s” is not an email address.") % {"email": email}]
    if errors:
        raise ValidationError(errors)
    admin = User(username=username, email=email, organisation=municipality, role=Role.ADMIN)
    admin.set_unusable_password()
    admin.full_clean(exclude=["password"])
    admin.save()
    path = set_password_path(admin)
    if email:
        link = f"{site_url.rstrip('/')}{path}"
        subject = _("Your citydiplomacy account for %(name)s") % {"name": municipality.name}
        text = _("%(name)s now uses citydiplomacy and you are its administrator (username %(username)s). "
                 "Choose your password here (the link works once): %(link)s") % {
            "name": municipality.name, "username": username, "link": link}
        transaction.on_commit(lambda: send_mail(subject, text, None, [email], fail_silently=True))
    return Activation(municipality, admin, path)
