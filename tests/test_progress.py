"""The progress bar: drawn on a terminal, silent in a pipe."""

from __future__ import annotations

import io

from partner_tiers.progress import ProgressBar


def test_the_progress_bar_draws_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        bar = ProgressBar("computing", stream=stream)
        bar.update(1, 2, "computing")
        bar.update(2, 2)
        bar.close()
    assert "[" + "#" * 30 + "] 100%" in terminal.getvalue() and pipe.getvalue() == ""
