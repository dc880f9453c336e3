"""What an uploaded document must be before it is stored (issue 19 item 6, finding F13).

The content is checked, not only its first bytes: a PDF must parse (pypdf) and have a page,
an image must decode (Pillow) as the format its name says and within Pillow's pixel limit, an
office file (OOXML/OpenDocument) must be a zip archive that would not inflate beyond the
ratio and total limits (``places.tables.check_zip_archive``, the one zip-bomb rule) and that
has the package's manifest. Legacy OLE files (.doc, .xls, .ppt) are checked by signature only.

``check_upload`` is the single check: every path that stores a document calls it (the API,
the web pages, the steps of the lifecycle). ``upload_too_large`` is the early check of a
request's declared size, used by ``web.upload_limit`` before the body is read.
"""

from __future__ import annotations

import io
import logging
import warnings
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04",)
ALLOWED_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".tif": ("image/tiff", (b"II*\x00", b"MM\x00*")),
    ".tiff": ("image/tiff", (b"II*\x00", b"MM\x00*")),
    ".doc": ("application/msword", (_OLE,)),
    ".xls": ("application/vnd.ms-excel", (_OLE,)),
    ".ppt": ("application/vnd.ms-powerpoint", (_OLE,)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    ".odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
    ".odp": ("application/vnd.oasis.opendocument.presentation", _ZIP),
}
# Pillow's format name for each image extension
IMAGE_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP",
                 ".tif": "TIFF", ".tiff": "TIFF"}
# An office document inflates at most this much in all (real ones: a few times their size).
OFFICE_MAX_INFLATED = 256 * 1024 * 1024
# Room for the multipart envelope and the other form fields around one file.
FORM_OVERHEAD_BYTES = 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "CITYDIPLOMACY_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))


def upload_too_large(content_length: int) -> str:
    """The message for a request body too large to hold an acceptable upload, else ''."""
    if content_length <= max_upload_bytes() + FORM_OVERHEAD_BYTES:
        return ""
    return _("The upload is %(size)s; the limit is %(limit)s per file.") % {
        "size": filesizeformat(content_length), "limit": filesizeformat(max_upload_bytes())}


def _pdf_parses(upload) -> bool:
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return len(PdfReader(upload, strict=False).pages) > 0
    except Exception:  # noqa: BLE001 - pypdf raises many kinds for a file that is no PDF
        return False


def _image_decodes(upload, extension: str) -> bool:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format != IMAGE_FORMATS[extension]:
                    return False
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()  # verify() does not decode the pixels
        return True
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a broken image
        return False


def _office_package_ok(upload) -> bool:
    from citydiplomacy.places.tables import ImportError_, check_zip_archive

    try:
        archive = check_zip_archive(upload, max_total=OFFICE_MAX_INFLATED)
    except ImportError_:
        return False
    with archive:
        names = set(archive.namelist())
        if archive.testzip() is not None:  # a damaged member (reads within the limits above)
            return False
    return "[Content_Types].xml" in names or "mimetype" in names


def signature_ok(upload, extension: str) -> bool:
    """Whether the file starts as a file of its extension does."""
    _content_type, magics = ALLOWED_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if extension == ".webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return any(head.startswith(magic) for magic in magics)


def content_ok(upload, extension: str) -> bool:
    """Whether the file's content is what its extension says (see the module docstring);
    the signature is checked first (``signature_ok``)."""
    _content_type, magics = ALLOWED_TYPES[extension]
    upload.seek(0)
    try:
        if extension == ".pdf":
            return _pdf_parses(upload)
        if extension in IMAGE_FORMATS:
            return _image_decodes(upload, extension)
        if magics == _ZIP:
            return _office_package_ok(upload)
        return True  # OLE: signature only
    except (zipfile.BadZipFile, OSError, io.UnsupportedOperation):
        return False
    finally:
        upload.seek(0)


def check_upload(upload) -> tuple[str, str]:
    """(extension, content type) of an acceptable upload, else ValidationError."""
    name = getattr(upload, "name", "") or ""
    extension = Path(name).suffix.lower()
    if upload.size > max_upload_bytes():
        raise ValidationError({"file": _("The file is %(size)s; the limit is %(limit)s.") % {
            "size": filesizeformat(upload.size), "limit": filesizeformat(max_upload_bytes())}})
    if upload.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    if extension not in ALLOWED_TYPES or not signature_ok(upload, extension):
        raise ValidationError({"file": _("Only PDF, image (PNG, JPEG, GIF, WebP, TIFF) and office "
                                         "files (Word, Excel, PowerPoint, OpenDocument) are accepted.")})
    if not content_ok(upload, extension):
        raise ValidationError({"file": _(
            "The file's content is not a valid %(type)s file (it does not open as one, or it "
            "would inflate far beyond its size).") % {"type": extension[1:].upper()}})
    return extension, ALLOWED_TYPES[extension][0]
