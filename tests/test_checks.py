"""Every row of TRANSLATION.md's table of bad translations, each with a fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from ailit.core.errors import CatalogueError
from ailit.i18n import checks
from ailit.i18n.catalog import load
from conftest import ailit

ROWS = [
    # (msgid, bad msgstr, severity, code)
    ("Read the text.", "Lisez <script>alert(1)</script> le texte.", "error", "html"),
    ("Read the text.", 'Lisez <img src=x onerror="alert(1)"> le texte.', "error", "html"),
    ("Click the button.", 'Cliquez <b onclick="steal()">ici</b>.', "error", "html"),
    ("See [the map](map.html).", "Voir [la carte](javascript:alert(1)).", "error", "url-scheme"),
    ("See [the map](map.html).", "Voir [la carte](autre.html).", "error", "links"),
    ("![A map](images/map.png)", "![Une carte](images/other.png)", "error", "links"),
    ("See [a](a.html) and [b](b.html).", "Voir [b](b.html) et [c](c.html).", "error", "links"),
    ("Hello {name}!", "Bonjour {nom} !", "error", "placeholders"),
    ("Use `print` here.", "Utilisez `print ici.", "warning", "markup"),
    ("Some **bold** text.", "Du texte **gras.", "warning", "markup"),
    ("A plain sentence.", "# Une phrase", "error", "structure"),
    ("A plain sentence.", "- Une phrase", "error", "structure"),
    ("A plain sentence.", "<div>Une phrase</div>", "error", "html"),
    ("A plain sentence.", "```\nUne phrase\n```", "error", "newlines"),
    ("Train for 3 epochs.", "Entraînez pendant 5 époques.", "warning", "numbers"),
    ("One line.", "Une ligne.\n", "error", "newlines"),
    ("Two\\\nlines.", "Deux lignes.", "error", "newlines"),
    ("Plain text.", "Texte\u202e caché.", "error", "invisible"),
    ("Plain text.", "Texte\u200b caché.", "error", "invisible"),
]


@pytest.mark.parametrize(("msgid", "msgstr", "severity", "code"), ROWS)
def test_each_bad_translation_is_caught(msgid: str, msgstr: str, severity: str, code: str) -> None:
    found = [(p.severity, p.code) for p in checks.check(msgid, msgstr)]
    assert (severity, code) in found, found


@pytest.mark.parametrize(
    ("msgid", "msgstr"),
    [
        ("See [the map](map.html).", "Voir [la carte](map.html)."),
        ("Hello {name}, you have {count} apples.", "{count} pommes pour vous, {name}."),
        ("Train for 3 epochs.", "Entraînez pendant 3 époques."),
        ("Train for 3 epochs.", "درّب لمدة ٣ حقب."),  # Arabic-Indic digits are the same number
        ("The 1960s.", "Les années 1960."),
        ("Some **bold** and `code`.", "Du **gras** et `code`."),
        ("Use <kbd>Ctrl</kbd>.", "Utilisez <kbd>Ctrl</kbd>."),
    ],
)
def test_good_translations_pass(msgid: str, msgstr: str) -> None:
    assert checks.check(msgid, msgstr) == []


def test_a_warning_is_silenced_by_its_flag() -> None:
    assert checks.check("3 epochs.", "5 époques.", frozenset({"ailit-ignore-numbers"})) == []


def test_untranslated_copy_is_not_an_error() -> None:
    assert checks.errors("Python", "Python") == []


def test_bad_encoding_names_file_and_line(tmp_path: Path) -> None:
    po = tmp_path / "fr.po"
    po.write_bytes(
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "\xe9t\xe9"\n'
    )
    with pytest.raises(CatalogueError) as caught:
        load(po)
    assert str(caught.value).endswith("fr.po:6: not valid UTF-8 (save the file as UTF-8)")


def test_check_command_reports_file_line_and_msgid(demo: Path) -> None:
    po = demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    text = po.read_text("utf-8").replace(
        'msgstr "Le panier contient {count} fruits."',
        'msgstr "Le panier contient {nombre} fruits."',
    )
    po.write_text(text, "utf-8")
    line = text.splitlines().index('msgstr "Le panier contient {nombre} fruits."')
    result = ailit("--project", str(demo), "check")
    assert result.returncode == 1
    assert f"demo.po:{line}: error: [placeholders]" in result.stderr  # the msgid's line
    assert "'The basket holds {count} fruit.'" in result.stderr


def test_wrong_plural_header_is_an_error(demo: Path) -> None:
    po = demo / "locales" / "ar" / "LC_MESSAGES" / "demo.po"
    text = po.read_text("utf-8")
    start = text.index('"Plural-Forms:')
    end = text.index("\\n", start)
    po.write_text(
        text[:start] + '"Plural-Forms: nplurals=2; plural=(n != 1);' + text[end:], "utf-8"
    )
    result = ailit("--project", str(demo), "check")
    assert result.returncode == 1
    assert "[plurals] Plural-Forms says nplurals=2; ar has 6" in result.stderr
