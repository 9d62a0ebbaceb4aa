# ruff: noqa: RUF001  (letters of other scripts are the point of this file)
"""Every script's own characters: joiners and bidi marks judged by the locale's script
(CLDR via Babel), and count strings with the locale's CLDR plural forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog

from ailit.i18n import catalog, checks
from ailit.i18n.codes import CheckCode
from ailit.i18n.extract import site_template
from ailit.i18n.merge import merge
from ailit.i18n.sitetext import PLURALS, SITE
from ailit.stages.localize import Translator
from ailit.stages.pages import LocaleText
from conftest import DEMO, ROOT, ailit, copy_project

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
        ("th", f"ปัญญา{ZWSP}ประดิษฐ์"),  # words not spaced: a zero width space breaks a line
        ("km", f"បញ្ញា{ZWSP}សិប្បនិម្មិត"),
        ("de", "Selbst\u00adlernende Systeme"),  # a soft hyphen, in any language
        ("fr", "10\u2060%"),  # a word joiner, in any language
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
        ("zh", f"人工{ZWSP}智能", "written without spaces; zh is in script Hans"),
        ("ar", "\u2067Python", "not closed"),  # an isolate left open
        (None, f"sys{ZWNJ}tème", "ZERO WIDTH NON-JOINER"),  # no locale: nothing allowed
    ],
)
def test_what_a_script_does_not_need_is_refused(locale: str | None, msgstr: str, why: str) -> None:
    found = _invisible("A system", msgstr, locale)
    assert len(found) == 1 and why in found[0]
    assert found[0].endswith(
        "(if intended, add the translator comment '# ailit-ignore: invisible')"
    )


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


# --- plurals: count strings with the locale's CLDR forms --------------------------------


@pytest.mark.parametrize(
    ("code", "count", "forms"),
    [
        ("fa", 2, {0: 0, 1: 0, 2: 1, 5: 1}),  # CLDR: one = i=0 or n=1 (Babel's table: 1)
        ("fr", 2, {0: 0, 1: 0, 2: 1}),
        ("pt", 2, {0: 0, 1: 0, 2: 1}),  # CLDR pt: one = i=0..1 (Babel's table: n != 1)
        ("es", 2, {0: 1, 1: 0, 2: 1}),
        ("zh", 1, {0: 0, 1: 0, 7: 0}),
        ("ar", 6, {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5, 111: 4}),
        ("he", 3, {1: 0, 2: 1, 3: 2}),
    ],
)
def test_plural_forms_follow_cldr(code: str, count: int, forms: dict[int, int]) -> None:
    assert catalog.plural_forms(code)[0] == count
    assert {n: catalog.plural_index(code, n) for n in forms} == forms
    assert catalog.header_agrees(code, *catalog.plural_forms(code))


def test_count_strings_are_plural_entries_of_site_pot() -> None:
    pot = site_template()
    for key, (singular, _) in PLURALS.items():
        message = pot.get(singular)
        assert message is not None and message.pluralizable
        assert tuple(message.id) == (singular, SITE[key])


def _site_po(code: str, strings: tuple[str, ...], fuzzy: bool = False) -> Catalog:
    po = Catalog(locale=code)
    catalog.set_plural_forms(po, code)
    singular, _ = PLURALS["untranslated_count"]
    po.add((singular, SITE["untranslated_count"]), strings, flags={"fuzzy"} if fuzzy else ())
    return po


def _text(po: Catalog | None, code: str = "fr") -> LocaleText:
    return LocaleText(code, Translator(po), {})


def test_a_count_string_takes_the_form_of_its_count() -> None:
    fr = _text(_site_po("fr", ("{count} passage non traduit.", "{count} passages non traduits.")))
    assert fr.t("untranslated_count", count=1) == "1 passage non traduit."
    assert fr.t("untranslated_count", count=0) == "0 passage non traduit."  # French: 0 is one
    assert fr.t("untranslated_count", count=4) == "4 passages non traduits."
    arabic = tuple(f"{{count}} صيغة{i}" for i in range(6))
    ar = _text(_site_po("ar", arabic), "ar")
    assert ar.t("untranslated_count", count=11) == "11 صيغة4"
    assert ar.t("untranslated_count", count=100) == "100 صيغة5"


def test_english_where_a_form_is_missing_fuzzy_or_refused() -> None:
    english_one = "1 passage on this page is not yet translated and is shown in English."
    for po in (
        _site_po("fr", ("{count} passage.", "")),
        _site_po("fr", ("{count} passage.", "{count} passages."), fuzzy=True),
        _site_po("fr", ("{count} passage.", "<script>x</script>{count}")),
        None,
    ):
        assert _text(po).t("untranslated_count", count=1) == english_one
    assert _text(None).t("minutes", minutes=2) == "2 minutes"
    assert _text(None).t("minutes", minutes=1) == "1 minute"


def test_forms_check_refuses_are_never_shown() -> None:
    """Too few forms, or a header whose order differs from CLDR's: check says error, so
    the page says English (the forms may stand in another order than CLDR counts them)."""
    english = "11 passages on this page are not yet translated and are shown in English."
    two = _site_po("ar", ("{count} صيغة", "{count} صيغتان"))
    one = "1 passage on this page is not yet translated and is shown in English."
    assert _text(two, "ar").t("untranslated_count", count=1) == one  # form 1 is there
    reordered = _site_po("fr", ("{count} passage.", "{count} passages."))
    reordered.mime_headers = [("Plural-Forms", "nplurals=2; plural=(n == 1 ? 1 : 0);")]
    translator = Translator(reordered)
    assert LocaleText("fr", translator, {}).t("untranslated_count", count=11) == english
    assert translator.rejected and "CLDR" in translator.rejected[0].problem


def test_merge_carries_a_singular_translation_to_every_form() -> None:
    old = Catalog(locale="ar")
    old.add(SITE["minutes"], "{minutes} دقيقة")
    merged = merge(old, site_template())
    message = merged.get(PLURALS["minutes"][0])
    assert message is not None and message.fuzzy
    assert list(message.string) == ["{minutes} دقيقة"] * 6
    assert merged.num_plurals == 6


def test_init_locale_writes_cldr_plural_forms_and_check_verifies_them(tmp_path: Path) -> None:
    project = copy_project(DEMO, tmp_path / "demo")
    ailit("--project", str(project), "init-locale", "fa", check=True)
    site = project / "locales" / "fa" / "LC_MESSAGES" / "site.po"
    text = site.read_text("utf-8")
    assert '"Plural-Forms: nplurals=2; plural=' in text
    assert 'msgid_plural "{count} passages on this page' in text
    site.write_text(text.replace("nplurals=2; plural=((((n == 0)) || ((n == 1))) ? 0 : 1);",
                                 "nplurals=2; plural=(n != 1);"), "utf-8")  # fmt: skip
    result = ailit("--project", str(project), "check")
    assert result.returncode == 1
    assert "[plurals] Plural-Forms plural=(n != 1) chooses other forms than CLDR's" in (
        result.stdout + result.stderr
    )


def test_a_plural_entry_needs_every_form(tmp_path: Path) -> None:
    project = copy_project(DEMO, tmp_path / "demo")
    site = project / "locales" / "fr" / "LC_MESSAGES" / "site.po"
    text = site.read_text("utf-8")
    lines = [
        'msgstr[1] ""' if line.startswith('msgstr[1] "{count} passages') else line
        for line in text.splitlines()
    ]
    site.write_text("\n".join(lines) + "\n", "utf-8")
    result = ailit("--project", str(project), "check")
    assert result.returncode == 1
    assert "[plurals] needs all 2 plural forms" in result.stdout + result.stderr


@pytest.mark.parametrize("path", sorted([*ROOT.glob("locales/*/LC_MESSAGES/site.po"),
                                         *DEMO.glob("locales/*/LC_MESSAGES/site.po")]),
                         ids=lambda p: str(p.relative_to(ROOT)))  # fmt: skip
def test_shipped_count_strings_have_every_form(path: Path) -> None:
    code = path.parts[-3]
    po = catalog.load(path, locale=code)
    assert catalog.header_agrees(code, po.num_plurals, po.plural_expr)
    for singular, _ in PLURALS.values():
        message = po.get(singular)
        assert message is not None and not message.fuzzy
        forms = list(message.string)
        assert len(forms) == catalog.plural_forms(code)[0]
        assert all(forms) or not any(forms)  # translated in full, or not yet (fixture sw)
