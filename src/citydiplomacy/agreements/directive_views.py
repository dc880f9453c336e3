"""Web pages of directives: the national list with the issuing form (oversight), one
directive's progress (its tasks being created in the background) and compliance across
municipalities (oversight, the authority), and a municipality's
own tasks with the review answer. Thin: rules and reads are agreements.directives."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import directive_fanout, directives
from citydiplomacy.agreements.models import Directive
from citydiplomacy.places.countries import country_choices

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class DirectiveForm(forms.Form):
    country = forms.CharField(label=gettext_lazy("Country"), max_length=100, required=False,
                              widget=forms.TextInput(attrs={"list": "country-names", "autocomplete": "off"}))
    region = forms.CharField(label=gettext_lazy("or region (ISO 3166-2)"), max_length=10, required=False)
    action = forms.ChoiceField(label=gettext_lazy("Action"), choices=Directive.Action.choices)
    issued_on = forms.DateField(label=gettext_lazy("Issued on"), **DATE)
    deadline = forms.DateField(label=gettext_lazy("Deadline"), required=False, **DATE)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))
    source = forms.CharField(label=gettext_lazy("Source"), max_length=500)


class KeepForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Council decision date"), **DATE)
    reference = forms.CharField(label=gettext_lazy("Council decision reference"), max_length=200)


def _require_reader(user) -> None:
    if not permissions.can_read_directives(user):
        raise PermissionDenied(_("Directives across municipalities are for national oversight and the permitting authority."))


@login_required
@require_http_methods(["GET", "POST"])
def directive_list(request):
    _require_reader(request.user)
    can_issue = permissions.can_issue_directives(request.user)
    form = DirectiveForm(initial={"issued_on": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if not can_issue:
            raise PermissionDenied(_("Only national oversight and the permitting authority issue directives."))
        form = DirectiveForm(request.POST)
        if form.is_valid():
            try:
                directive = directives.issue_directive(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Directive issued. The municipalities' tasks are being created "
                                            "in the background; this page shows how far it is."))
                return redirect("agreements:directive", pk=directive.pk)
        status = 400
    rows = [(d, directives.place_label(d), directives.compliance(d)) for d in directives.directives()]
    return render(request, "agreements/directive_list.html", {
        "rows": rows, "form": form, "can_issue": can_issue,
        "country_names": [name for _code, name in country_choices()]}, status=status)


TASKS_PER_PAGE = 50


@login_required
def directive_detail(request, pk: int):
    _require_reader(request.user)
    directive = get_object_or_404(Directive, pk=pk)
    compliance = directives.compliance(directive)
    return render(request, "agreements/directive_detail.html", {
        "directive": directive, "place": directives.place_label(directive), "compliance": compliance,
        "progress": directive_fanout.progress(directive, compliance.total),
        "municipalities": directive.tasks.values("organisation").distinct().count(),
        "page": Paginator(directives.tasks_of_directive(directive), TASKS_PER_PAGE).get_page(request.GET.get("page"))})


@login_required
def directive_tasks(request):
    if permissions.organisation_id_of(request.user) is None and not permissions.is_oversight(request.user):
        raise PermissionDenied(_("Directive tasks belong to a municipality's staff."))
    tasks = [(t, directives.place_label(t.directive)) for t in directives.tasks_for(request.user)]
    return render(request, "agreements/directive_tasks.html", {
        "tasks": tasks, "keep_form": KeepForm(initial={"date": timezone.localdate()}),
        "today": timezone.localdate(),
        "can_decide": permissions.can_decide_for_organisation(request.user, request.user.organisation_id)})


@login_required
@require_POST
def keep_after_review(request, pk: int):
    task = get_object_or_404(directives.tasks_for(request.user), pk=pk)
    form = KeepForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("agreements:directive-tasks")
    try:
        directives.answer_review(task, actor=request.user, on=form.cleaned_data["date"],
                                 reference=form.cleaned_data["reference"])
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("The council's decision to keep the tie is recorded."))
    return redirect("agreements:directive-tasks")

