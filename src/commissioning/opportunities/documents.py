"""What an opportunity's documents may be: the shared upload rules, with the documents' size limit."""

from django.conf import settings

from commissioning.core import uploads
from commissioning.core.uploads import ALLOWED, CheckedFile
from commissioning.core.uploads import UploadError as DocumentError

__all__ = ["ALLOWED", "CheckedFile", "DocumentError", "check_upload", "max_bytes"]


def max_bytes() -> int:
    return int(getattr(settings, "OPPORTUNITY_DOCUMENT_MAX_MB", 20)) * 1024 * 1024


def check_upload(uploaded) -> CheckedFile:
    """Accept a PDF, Word, Excel or OpenDocument file within the documents' size limit, or raise DocumentError.

    The type is decided by the file's name and confirmed by its first bytes,
    so a renamed program is refused. The SHA-256 digest is computed here.
    """
    return uploads.check_upload(uploaded, max_bytes=max_bytes())
