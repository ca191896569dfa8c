"""Excel's broadcasting of ranges, written once for the functions and the formula engine.

Where Excel pairs ranges of different sizes cell by cell (an add-in function's arguments, an
operator inside an array formula), a single row or a single column stretches to fit, and a
cell beyond a smaller range gets a filler (``#N/A`` in Excel).

>>> stretched([[1, 2]], 2, 3, "#N/A")
[[1, 2, '#N/A'], [1, 2, '#N/A']]
>>> stretched([[1], [2]], 2, 2, None), stretched([[7]], 1, 2, None)
([[1, 1], [2, 2]], [[7, 7]])
"""

from __future__ import annotations

from typing import Any

Grid = list[list[Any]]


def stretched(grid: Grid, rows: int, cols: int, filler: Any) -> Grid:
    """``grid`` as ``rows`` x ``cols`` cells; rows may differ in length, as Python lists do."""

    def fit(row: list[Any]) -> list[Any]:
        if len(row) == cols:
            return row
        return row * cols if len(row) == 1 else row + [filler] * (cols - len(row))

    if len(grid) == 1:
        return [fit(grid[0])] * rows
    return [fit(row) for row in grid] + [[filler] * cols] * (rows - len(grid))
