"""Words for the terminal: counts with the right plural, values with invisible characters shown.

>>> counted(1, "partner"), counted(2, "partner"), counted(1_000, "row")
('1 partner', '2 partners', '1,000 rows')
>>> shown("99\\u00a0999,00"), shown(""), shown(12.5)
("'99<NBSP>999,00'", "''", '12.5')
>>> shown("x" * 100)
"'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' (100 characters)"
>>> shown_number(10**50)
'100000000000... (51 digits)'
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

# Characters that look like nothing or like a space, as a reader can tell them apart.
INVISIBLE = {
    "\u00a0": "<NBSP>",
    "\u202f": "<NNBSP>",
    "\u2007": "<FIGURE SPACE>",
    "\u2009": "<THIN SPACE>",
    "\u200b": "<ZWSP>",
    "\ufeff": "<BOM>",
    "\t": "<TAB>",
    "\r": "<CR>",
    "\n": "<LF>",
}


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """``count`` and the noun, singular for one."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"


QUOTED = 60  # at most this much of any input stands in a message, so that it stays short


def shown_number(value: object) -> str:
    """A number for a message, its first digits when it has many."""
    text = str(value)
    return text if len(text) <= 20 else f"{text[:12]}... ({len(text)} digits)"


def shown(value: object) -> str:
    """A value for a message: text quoted, with invisible and look-alike spaces named, and
    cut after :data:`QUOTED` characters; a number as it is written (never ``Decimal('5')``),
    a day as ISO writes it.

    >>> shown("Acme\u00a0S.A."), shown(Decimal("5000.50")), shown(dt.date(2026, 3, 31))
    ("'Acme<NBSP>S.A.'", '5000.50', '2026-03-31')
    """
    if isinstance(value, Decimal):
        return shown_number(format(value, "f"))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return shown_number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        text = repr(value)
        return text if len(text) <= QUOTED else text[: QUOTED - 3] + "..."
    size = len(value)
    value = value[:QUOTED]
    marked = "".join(
        INVISIBLE.get(ch)
        or (
            f"<U+{ord(ch):04X}>"
            # controls, format marks, look-alike spaces, and lone surrogates (a byte of a
            # command-line argument that was not UTF-8), which no terminal can print
            if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp") and ch != " "
            else ch
        )
        for ch in value
    )
    return f"'{marked}'" if size <= QUOTED else f"'{marked[: QUOTED - 1]}...' ({size:,} characters)"
