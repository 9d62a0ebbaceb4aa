"""Every row of TRANSLATION.md's table of bad translations, each with a fixture."""

from __future__ import annotations

from pathlib import Path

import pytest

from ailit.core.errors import CatalogueError
from ailit.i18n import checks
from ailit.i18n.catalog import load
from ailit.i18n.codes import IGNORE_FLAGS, CheckCode, ignore_flag
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


def test_every_problem_and_finding_code_comes_from_the_enum() -> None:
    """No code is a bare string: each `Problem(...)` and `Finding(...)` names a CheckCode."""
    import ast

    source = Path(checks.__file__).parent.parent
    position = {"Problem": 1, "Finding": 3}  # of the code among the arguments
    bare = []
    for path in (source / "i18n" / "checks.py", source / "commands" / "workflow.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id in position:
                code = node.args[position[node.func.id]]
                if isinstance(code, (ast.Constant, ast.JoinedStr)):
                    bare.append(f"{path.name}:{node.lineno}: {ast.unparse(code)}")
    assert bare == []
    found = [p.code for msgid, msgstr, _, _ in ROWS for p in checks.check(msgid, msgstr)]
    assert found and all(isinstance(code, CheckCode) for code in found)
    assert {str(code) for code in found} <= {row[3] for row in ROWS}  # shown as before


def test_each_translation_check_has_its_ignore_flag() -> None:
    assert ignore_flag(CheckCode.NUMBERS) == "ailit-ignore-numbers"
    assert "ailit-ignore-glossary" in IGNORE_FLAGS and "ailit-ignore-url-scheme" in IGNORE_FLAGS
    assert "ailit-ignore-syntax" not in IGNORE_FLAGS  # a whole catalogue's problem: no flag
    for msgid, msgstr, _, code in ROWS:
        assert code not in [p.code for p in checks.check(msgid, msgstr, frozenset(IGNORE_FLAGS))]


def test_an_unknown_ignore_flag_is_a_warning_naming_entry_flag_and_known_ones(demo: Path) -> None:
    po = demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    text = po.read_text("utf-8")
    old = '#, python-brace-format\nmsgid "The basket holds {count} fruit."'
    assert old in text
    text = text.replace(old, old.replace("format", "format, ailit-ignore-number"))
    po.write_text(text, "utf-8")
    line = text.splitlines().index('msgid "The basket holds {count} fruit."') + 1
    result = ailit("--project", str(demo), "check")
    assert result.returncode == 0, result.stderr  # a warning: --strict makes it fail
    shown = [row for row in result.stdout.splitlines() if "[unknown-flag]" in row]
    assert len(shown) == 1, result.stdout
    assert f"fr/LC_MESSAGES/demo.po:{line}: warning: [unknown-flag]" in shown[0]
    assert "'ailit-ignore-number'" in shown[0]
    assert all(flag in shown[0] for flag in IGNORE_FLAGS)
    assert ailit("--project", str(demo), "check", "--strict").returncode == 1
