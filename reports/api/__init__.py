"""Open data: the public figures of every district and of the city, as JSON or CSV."""

from .serializers import FIELD_DOCS

__all__ = ["FIELD_DOCS"]
