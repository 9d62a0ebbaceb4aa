# ruff: noqa: RUF001  (letters of other scripts are the point of this file)
"""Every script's own characters: joiners and bidi marks judged by the locale's script
(CLDR via Babel), and count strings with the locale's CLDR plural forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from ailit.i18n import checks
from ailit.i18n.codes import CheckCode
from conftest import DEMO, ailit, copy_project

ZWNJ, ZWJ, LRM, RLM, ALM, RLO, LRE, ZWSP = "\u200c\u200d\u200e\u200f\u061c\u202e\u202a\u200b"


def _invisible(msgid: str, msgstr: str, locale: str | None) -> list[str]:
    return [p.message for p in checks.errors(msgid, msgstr, locale=locale)
            if p.code == CheckCode.INVISIBLE]  # fmt: skip


@pytest.mark.parametrize(
    ("locale", "msgstr"),
    [
        ("fa", f"سامانه{ZWNJ}ای"),  # Persian: ZWNJ inside a word
        ("ur", f"کی{ZWNJ}ا"),
        ("ps", f"ک{ZWNJ}ه"),
        ("ckb", f"ک{ZWNJ}ە"),
        ("hi", f"क्{ZWJ}ष"),  # Devanagari half form
        ("mr", f"र्{ZWJ}य"),
        ("bn", f"র্{ZWJ}য"),
        ("ml", f"ന്{ZWJ}"),
        ("si", f"ශ්{ZWJ}ර"),
        ("my", f"က{ZWNJ}"),
        ("ar", f"النص {RLM}(1)"),  # right-to-left: bidi marks
        ("ar", f"{ALM}1-2"),
        ("he", f"{LRM}Python{LRM}"),
        ("fa_IR", f"سامانه{ZWNJ}ای"),  # a territory: the language's likely script
        ("pa_Arab", f"ک{ZWNJ}"),  # an explicit script subtag wins
        ("fr", "Équipe 👩\u200d💻"),  # emoji sequences join in every script
        ("he", "\u2067Python\u2069 אחד"),  # a closed isolate in a right-to-left locale
    ],
)
def test_what_a_script_needs_is_allowed(locale: str, msgstr: str) -> None:
    assert _invisible("A system", msgstr, locale) == []


@pytest.mark.parametrize(
    ("locale", "msgstr", "why"),
    [
        ("fr", f"sys{ZWNJ}tème", "script Latn"),  # Latin has no joiners
        ("am", f"ሲስ{ZWNJ}ተም", "script Ethi"),
        ("zh", f"系{ZWJ}统", "script Hans"),
        ("hi", f"सिस्टम{RLM}", "left-to-right"),  # bidi marks only in right-to-left locales
        ("fr", f"système{LRM}", "left-to-right"),
        ("ar", f"النص{RLO}", "RIGHT-TO-LEFT OVERRIDE"),  # overrides and embeddings never
        ("fa", f"{LRE}Python", "LEFT-TO-RIGHT EMBEDDING"),
        ("fa", f"سامانه{ZWSP}ای", "ZERO WIDTH SPACE"),  # other format characters as before
        ("ar", "\u2067Python", "not closed"),  # an isolate left open
        (None, f"sys{ZWNJ}tème", "ZERO WIDTH NON-JOINER"),  # no locale: nothing allowed
    ],
)
def test_what_a_script_does_not_need_is_refused(locale: str | None, msgstr: str, why: str) -> None:
    found = _invisible("A system", msgstr, locale)
    assert len(found) == 1 and why in found[0]
    assert found[0].endswith("(silence with: #, ailit-ignore-invisible)")


def test_a_control_in_the_source_may_stay() -> None:
    assert _invisible(f"x{RLO}y", f"a{RLO}b", "fr") == []


def test_the_flag_named_silences_it() -> None:
    flags = frozenset({"ailit-ignore-invisible"})
    assert checks.errors("A system", f"sys{ZWNJ}tème", flags, locale="fr") == []


@pytest.mark.parametrize("code", ["fa", "ur", "hi", "ar", "he", "am", "my"])
def test_what_init_locale_prefills_passes_check(code: str, tmp_path: Path) -> None:
    project = copy_project(DEMO, tmp_path / "demo")
    ailit("--project", str(project), "init-locale", code, check=True)
    result = ailit("--project", str(project), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[invisible]" not in result.stdout
