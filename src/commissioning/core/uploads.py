"""What an uploaded file may be: known office formats, checked by content, within a size limit.

Opportunities' documents and providers' evidence accept the same kinds of
file; each caller says how large a file it takes.
"""

import hashlib
from dataclasses import dataclass

# extension: (content type, what the file must start with)
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


class UploadError(ValueError):
    """A file that is not accepted, with a sentence saying why."""


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, with its dot ("" when there is none)."""
    name = (name or "").lower()
    return name[name.rfind(".") :] if "." in name else ""


def check_upload(uploaded, *, max_bytes: int) -> CheckedFile:
    """Accept a PDF, Word, Excel or OpenDocument file of at most ``max_bytes``, or raise UploadError.

    The type is decided by the file's name and confirmed by its first bytes,
    so a renamed program is refused. The SHA-256 digest is computed here, and
    the file is left rewound for saving.
    """
    extension = extension_of(uploaded.name)
    if extension not in ALLOWED:
        raise UploadError("The file must be a PDF, Word (.docx), Excel (.xlsx) or OpenDocument (.odt, .ods) file")
    if uploaded.size > max_bytes:
        raise UploadError(f"The file must be smaller than {max_bytes // (1024 * 1024)} MB")
    if uploaded.size == 0:
        raise UploadError("The file is empty")
    content_type, signatures = ALLOWED[extension]
    digest = hashlib.sha256()
    first = b""
    for chunk in uploaded.chunks():
        if not first:
            first = chunk[:8]
        digest.update(chunk)
    uploaded.seek(0)
    if not first.startswith(signatures):
        raise UploadError(f"The file is not a real {extension[1:].upper()} file")
    return CheckedFile(content_type=content_type, size=uploaded.size, sha256=digest.hexdigest())
