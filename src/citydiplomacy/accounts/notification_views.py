"""Web pages of a user's own notifications: the list (marking them read) and the choice of
which kinds arrive in the application and by email. A user only ever sees their own."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from citydiplomacy.accounts import notifications
from citydiplomacy.accounts.models import NotificationKind


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request):
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
        notifications.mark_read(request.user, ids or None)
        messages.success(request, _("Marked as read."))
        return redirect("notifications:list")
    page = Paginator(notifications.notifications_of(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "accounts/notifications.html", {"page": page, "rows": page.object_list})


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    if request.method == "POST":
        wanted = {kind: (f"{kind}:in_app" in request.POST, f"{kind}:email" in request.POST)
                  for kind in NotificationKind.values}
        notifications.save_choices(request.user, wanted)
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notifications:settings")
    return render(request, "accounts/notification_settings.html", {
        "choices": notifications.choices_of(request.user), "has_email": bool(request.user.email)})
