"""API pagination with bounds, so no request can ask the database for an impossible page."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000


class BoundedPagination(LimitOffsetPagination):
    """Limit/offset paging: at most 100 items a page, offsets up to a million; beyond is a 422."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=MAX_LIMIT, description=f"Items per page (1 to {MAX_LIMIT})")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items to skip")
