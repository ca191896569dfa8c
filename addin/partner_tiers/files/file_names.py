"""File names made from what users typed (a partner's name), safe on Windows, macOS and
Linux, and unique in one folder even where the file system ignores case.

Letters of every script stay (a Polish partner keeps its ``ł``); what a file system refuses
or misreads becomes ``_``: the characters ``<>:"/\\|?*``, control and invisible characters,
a trailing dot or space, and the names Windows keeps for its devices (``CON``, ``COM1``...).

>>> file_stem('Kowalski / Syn "IT" Sp. z o.o.')
'Kowalski _ Syn _IT_ Sp. z o.o'
>>> file_stem("CON"), file_stem("..."), file_stem("Łódź\\u200bNet")
('_CON', 'partner', 'Łódź_Net')
>>> unique_stems(["Acme", "ACME", "acme "])
['Acme', 'ACME (2)', 'acme (3)']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

MAX_STEM = 80  # characters: room for a folder and a suffix under Windows' 260
_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?\Z", re.IGNORECASE)
FALLBACK = "partner"


def file_stem(text: str) -> str:
    """``text`` as a file name without its extension."""
    kept = "".join(
        "_" if _UNSAFE.match(c) or (unicodedata.category(c)[0] in "CZ" and c != " ") else c
        for c in unicodedata.normalize("NFC", text)
    )
    stem = " ".join(kept.split())[:MAX_STEM].rstrip(". ")
    if not stem.strip("._ "):
        return FALLBACK
    return "_" + stem if _WINDOWS_DEVICES.match(stem) else stem


def unique_stems(texts: Iterable[str]) -> list[str]:
    """A stem for each text, in order; a stem already taken (case ignored) gets `` (2)``,
    `` (3)``..."""
    taken: set[str] = set()
    stems = []
    for text in texts:
        stem = base = file_stem(text)
        n = 1
        while stem.casefold() in taken:
            n += 1
            stem = f"{base[: MAX_STEM - 6]} ({n})"
        taken.add(stem.casefold())
        stems.append(stem)
    return stems
