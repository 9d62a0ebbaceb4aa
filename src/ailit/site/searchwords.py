"""Japanese words for the search index: cut at build time, as jieba cuts Chinese.

Japanese is written without spaces, in kanji, hiragana and katakana together. Material's
search plugin cuts only the kanji runs (with jieba, a Chinese dictionary), so a word in
kana, or one that starts inside a run, was never found. Janome (a morphological analyser
in pure Python with the IPA dictionary) cuts the whole text into words, joined by a zero
width space the index's separator splits at; the search worker cuts a query into the
index's words the same way (assets/search/lunr.ailit.min.js).
"""

from __future__ import annotations

import functools
import re
from typing import Any

ZWSP = "\u200b"
#: a run of Japanese: kanji (and iteration marks), hiragana, katakana, the long vowel mark,
#: half-width katakana
JAPANESE_RUN = re.compile(
    "[\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]+"
)
#: scripts (ISO 15924, as CLDR gives a locale) whose words the index gets from Janome
JAPANESE_SCRIPTS = frozenset({"Jpan", "Hira", "Kana"})


@functools.cache
def _tokenizer() -> Any:
    from janome.tokenizer import Tokenizer

    return Tokenizer(wakati=True)


def japanese_words(text: str) -> str:
    """``text`` with its Japanese runs cut into words, a zero width space between them
    (jieba's cuts, made before, are undone first)."""
    tokenize = _tokenizer().tokenize
    return JAPANESE_RUN.sub(
        lambda run: ZWSP + ZWSP.join(tokenize(run.group(0))) + ZWSP, text.replace(ZWSP, "")
    )
