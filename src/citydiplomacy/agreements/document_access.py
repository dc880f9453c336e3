"""Reading stored documents (a selector): which document a user may open, and how it is served.

A document is read by those who may read the agreement (or activity) it belongs to, exactly
as the registry scopes them (agreements.selectors.get_agreement / get_activity): that
organisation's members, oversight, and the permitting authority for an agreement sent to it.
Anyone else gets 404, as for the agreement itself, so not even a document's existence leaks;
the public has no route to documents at all.

`document_response` is the one place that serves a stored file: as an attachment for download,
or inline for the in-page preview (PDF and images only) under a sandboxing Content-Security-
Policy; always with `X-Content-Type-Options: nosniff` and the type recorded at upload.
"""

from __future__ import annotations

from django.http import FileResponse, Http404

from citydiplomacy.agreements.models import Document

PREVIEW_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})
IMAGE_TYPES = PREVIEW_TYPES - {"application/pdf"}
PREVIEW_CSP = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
DOWNLOAD_CSP = "sandbox; default-src 'none'"


def get_document(user, pk: int) -> Document:
    """The document if the user may read its agreement or activity (the registry's own scoping:
    agreements.selectors), else Http404."""
    from citydiplomacy.agreements import selectors

    document = (Document.objects.select_related("agreement", "activity", "uploaded_by")
                .filter(pk=pk).first())
    if document is None:
        raise Http404
    if document.agreement_id:
        selectors.get_agreement(user, document.agreement_id)  # Http404 for anyone else
    elif document.activity_id:
        selectors.get_activity(user, document.activity_id)
    else:
        raise Http404
    return document


def can_preview(document: Document) -> bool:
    return document.content_type in PREVIEW_TYPES


def is_image(document: Document) -> bool:
    return document.content_type in IMAGE_TYPES


def download_name(document: Document) -> str:
    return document.original_name or f"document-{document.pk}{document.extension}"


def document_response(document: Document, *, inline: bool) -> FileResponse:
    """The stored file. Inline (preview) only for PDF and images; everything else, and every
    download, as an attachment. The file is never sniffed or run as a page of this site."""
    if inline and not can_preview(document):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=not inline, filename=download_name(document),
                            content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if inline:
        # a PDF or image shown in the page's frame: no scripts, no forms, no same-origin access
        response["Content-Security-Policy"] = PREVIEW_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
    else:
        response["Content-Security-Policy"] = DOWNLOAD_CSP
    return response
