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

A name never starts with a dot (a hidden file on macOS and Linux), and is cut to fit the 255
bytes a name may have there, with room for the temporary file's prefix and ``_values``:

>>> file_stem("../x"), len(file_stem("中" * 96).encode())
('_x', 198)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

MAX_STEM = 80  # characters: room for a folder and a suffix under Windows' 260
# bytes: 255 a name on Linux and macOS, less the temporary file's prefix and random part
# (files.output), "_values" and ".xlsx"
MAX_STEM_BYTES = 200
_UNSAFE = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_DEVICES = re.compile(r"(CON|PRN|AUX|NUL|COM[0-9]|LPT[0-9])(\..*)?\Z", re.IGNORECASE)
FALLBACK = "partner"


def file_stem(text: str) -> str:
    """``text`` as a file name without its extension."""
    kept = "".join(
        "_" if _UNSAFE.match(c) or (unicodedata.category(c)[0] in "CZ" and c != " ") else c
        for c in unicodedata.normalize("NFC", text)
    )
    stem = _cut(" ".join(kept.split()).lstrip("."), MAX_STEM).rstrip(". ")
    if not stem.strip("._ "):
        return FALLBACK
    return "_" + stem if _WINDOWS_DEVICES.match(stem) else stem


def _cut(text: str, characters: int) -> str:
    """``text`` at most ``characters`` long and :data:`MAX_STEM_BYTES` in UTF-8, never
    splitting a character."""
    data = text[:characters].encode("utf-8")[:MAX_STEM_BYTES]
    return data.decode("utf-8", errors="ignore")


def unique_stems(texts: Iterable[str], suffixes: Sequence[str] = ("",)) -> list[str]:
    """A stem for each text, in order, such that no two files ``stem + suffix`` share a
    name (case ignored); a stem whose names are taken gets `` (2)``, `` (3)``...

    >>> unique_stems(["Acme", "Acme_values"], suffixes=("", "_values"))
    ['Acme', 'Acme_values (2)']
    """
    taken: set[str] = set()
    stems = []
    for text in texts:
        stem = base = file_stem(text)
        n = 1
        while any((stem + suffix).casefold() in taken for suffix in suffixes):
            n += 1
            stem = f"{_cut(base, MAX_STEM - 6).rstrip('. ')} ({n})"
        taken.update((stem + suffix).casefold() for suffix in suffixes)
        stems.append(stem)
    return stems
