"""Web pages of stored documents: a page that previews it (PDF in a frame, images inline) with
its facts, the inline file for that preview, and the download. Thin: access and serving are
agreements.document_access; another organisation's document answers 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from citydiplomacy.agreements import document_access


@login_required
@require_GET
def document_detail(request, pk: int):
    document = document_access.get_document(request.user, pk)
    return render(request, "agreements/document.html", {
        "document": document, "agreement": document.agreement or document.activity.agreement,
        "can_preview": document_access.can_preview(document),
        "is_image": document_access.is_image(document)})


@login_required
@require_GET
def document_inline(request, pk: int):
    return document_access.document_response(document_access.get_document(request.user, pk), inline=True)


@login_required
@require_GET
def document_download(request, pk: int):
    return document_access.document_response(document_access.get_document(request.user, pk), inline=False)
