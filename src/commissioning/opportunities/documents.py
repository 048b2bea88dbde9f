"""What an opportunity's documents may be: known office formats, checked by content, within a size limit."""

import hashlib
from dataclasses import dataclass

from django.conf import settings

# extension: (content type, what the file must start with)
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
}


def max_bytes() -> int:
    return int(getattr(settings, "OPPORTUNITY_DOCUMENT_MAX_MB", 20)) * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


class DocumentError(ValueError):
    """A file that is not accepted, with a sentence saying why."""


def check_upload(uploaded) -> CheckedFile:
    """Accept a PDF, Word, Excel or OpenDocument file within the size limit, or raise DocumentError.

    The type is decided by the file's name and confirmed by its first bytes,
    so a renamed program is refused. The SHA-256 digest is computed here.
    """
    name = (uploaded.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    if extension not in ALLOWED:
        raise DocumentError("The file must be a PDF, Word (.docx), Excel (.xlsx) or OpenDocument (.odt, .ods) file")
    if uploaded.size > max_bytes():
        raise DocumentError(f"The file must be smaller than {max_bytes() // (1024 * 1024)} MB")
    if uploaded.size == 0:
        raise DocumentError("The file is empty")
    content_type, signatures = ALLOWED[extension]
    digest = hashlib.sha256()
    first = b""
    for chunk in uploaded.chunks():
        if not first:
            first = chunk[:8]
        digest.update(chunk)
    uploaded.seek(0)
    if not first.startswith(signatures):
        raise DocumentError(f"The file is not a real {extension[1:].upper()} file")
    return CheckedFile(content_type=content_type, size=uploaded.size, sha256=digest.hexdigest())
