"""Every user-facing text exists in every language, in one module."""

from __future__ import annotations

import pytest

from partner_tiers import texts


def test_every_label_has_a_text_in_every_language():
    for key, words in texts.LABELS.items():
        assert len(words) == len(texts.LANGUAGES), key
        assert all(w.strip() for w in words), key


def test_the_sentences_are_written_in_every_language_and_no_other():
    assert tuple(texts.SENTENCES) == texts.LANGUAGES
    with pytest.raises(texts.UnknownLanguage, match="known: en, pl"):
        texts.sentences_for("de")
