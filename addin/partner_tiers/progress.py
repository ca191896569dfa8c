"""A one-line progress bar for long commands, drawn only on a terminal.

When the output goes to a file or a pipe nothing is drawn, so logs stay clean.

>>> import io
>>> bar = ProgressBar("reading", stream=io.StringIO())  # not a terminal: silent
>>> bar.update(1, 2); bar.close(); bar.stream.getvalue()
''
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 30


class ProgressBar:
    """``update(done, total, label)`` redraws the bar; ``close()`` ends its line."""

    def __init__(
        self, label: str = "", stream: TextIO | None = None, enabled: bool | None = None
    ) -> None:
        self.stream = sys.stderr if stream is None else stream
        isatty = getattr(self.stream, "isatty", lambda: False)
        self.enabled = isatty() if enabled is None else enabled
        self.label = label
        self._drawn = False
        self._last = 0.0

    def update(self, done: int, total: int, label: str | None = None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if label is None and done < total and now - self._last < 0.1:
            return  # redraw at most ten times a second
        self._last = now
        self.label = label or self.label
        filled = WIDTH * done // max(total, 1)
        bar = "#" * filled + "." * (WIDTH - filled)
        percent = 100 * done // max(total, 1)
        self.stream.write(f"\r{self.label:<28.28} [{bar}] {percent:3d}%")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r" + " " * (WIDTH + 40) + "\r")
            self.stream.flush()
            self._drawn = False
