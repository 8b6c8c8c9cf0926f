"""What the configured log handlers write, captured for the personal-data tests."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest


class Captured:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    @property
    def lines(self) -> list[str]:
        return self.text.splitlines()


@pytest.fixture
def logs() -> Iterator[Captured]:
    """Everything the configured log handlers (settings.LOGGING) write, at DEBUG."""
    captured = Captured()
    root = logging.getLogger()
    handlers = [h for h in root.handlers if isinstance(h, logging.StreamHandler) and h.filters]
    assert handlers, "settings.LOGGING's console handler (with its filters) is not installed"
    old = [(h, h.stream, h.level) for h in handlers]
    old_level = root.level
    for handler in handlers:
        handler.setStream(captured.stream)
        handler.setLevel(logging.DEBUG)
    root.setLevel(logging.DEBUG)
    yield captured
    root.setLevel(old_level)
    for handler, stream, level in old:
        handler.setStream(stream)
        handler.setLevel(level)
