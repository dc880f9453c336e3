"""Web page of the activation of a Turkish municipality as an organisation (national oversight):
search the registry's municipalities, activate one with its first administrator, and see the
one-time set-password link to pass on. Thin: governments.activation decides, accounts.permissions
says who may."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from citydiplomacy.accounts import permissions
from citydiplomacy.governments import activation


class ActivationForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Official code"), max_length=40)
    username = forms.CharField(label=gettext_lazy("Administrator's username"), max_length=150)
    email = forms.CharField(label=gettext_lazy("Administrator's email (the link is sent there)"),
                            max_length=254, required=False)


@login_required
@require_http_methods(["GET", "POST"])
def activate(request):
    if not permissions.can_activate_municipalities(request.user):
        raise PermissionDenied(_("Only national oversight activates municipalities."))
    query = request.GET.get("q", "")
    form = ActivationForm(initial={"code": request.GET.get("code", "")})
    done, status = None, 200
    if request.method == "POST":
        form = ActivationForm(request.POST)
        if form.is_valid():
            try:
                done = activation.activate_municipality(actor=request.user, site_url=request.build_absolute_uri("/"),
                                                        **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
        if done is None:
            status = 400
        else:
            form = ActivationForm()
    return render(request, "governments/municipality_activate.html", {
        "form": form, "query": query, "found": activation.search(query), "done": done,
        "link": request.build_absolute_uri(done.set_password_path) if done else "",
        "shown": activation.SHOWN}, status=status)
