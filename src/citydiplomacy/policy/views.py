"""Minimal policy board: the dated country-relation table and the permitting authorities."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from citydiplomacy.policy import selectors


@login_required
def board(request):
    return render(request, "policy/board.html", {
        "relations": selectors.country_relations(),
        "authorities": selectors.permitting_authorities()})
