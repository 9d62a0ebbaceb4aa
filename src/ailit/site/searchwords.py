"""Words for the search index in scripts written without spaces, cut at build time.

Japanese, Thai, Lao, Khmer and Myanmar put no space between words, so the index's
separator cannot find them, and a query for a word inside a run of text found nothing
(Material's own segmenters for Japanese and Thai run in the browser and disagree with the
index). ICU's word break iterator (the one browsers use for line breaking; PyICU wheels
carry ICU and its dictionaries) cuts each run into words at build time, joined by a zero
width space the index's separator splits at; the search worker cuts a query into the
index's words the same way (assets/search/lunr.ailit.min.js). Chinese is cut by jieba,
inside Material's search plugin.
"""

from __future__ import annotations

import itertools
import re

ZWSP = "\u200b"
#: a run of each script ICU cuts here (ISO 15924 codes, as CLDR gives a locale's script):
#: Japanese is kanji (and iteration marks), hiragana, katakana, half-width katakana
RUNS = {
    "Jpan": "[\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f]+",
    "Thai": "[\u0e00-\u0e7f]+",
    "Laoo": "[\u0e80-\u0eff]+",
    "Khmr": "[\u1780-\u17ff\u19e0-\u19ff]+",
    "Mymr": "[\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f]+",
}
SCRIPTS = {"Hira": "Jpan", "Kana": "Jpan", **{script: script for script in RUNS}}


def cut_words(text: str, script: str, locale: str) -> str:
    """``text`` with its runs of ``script`` cut into words, a zero width space between
    them (cuts made before, by jieba or a translator, are undone first)."""
    import icu

    breaker = icu.BreakIterator.createWordInstance(icu.Locale(locale))

    def cut(run: re.Match[str]) -> str:
        breaker.setText(run.group(0))
        bounds = [breaker.first(), *breaker]
        # ICU counts UTF-16 units: the runs hold BMP characters only, so they are indices
        words = [run.group(0)[a:b] for a, b in itertools.pairwise(bounds)]
        return ZWSP + ZWSP.join(words) + ZWSP

    return re.sub(RUNS[SCRIPTS[script]], cut, text.replace(ZWSP, ""))
