from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    """A huge ?limit= is clamped, never passed to the database (bigint overflow is a 500)."""

    default_limit = 20
    max_limit = 100
