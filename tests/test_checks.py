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
    ("Use `print` here.", "Utilisez `print ici.", "error", "code-span"),
    ("Some **bold** text.", "Du texte **gras.", "error", "markup"),
    ("Open `data/01-fruit.csv`.", "Ouvrez `données/01-fruit.csv`.", "error", "code-span"),
    ("Call `fit` on `model`.", "Appelez `fit` sur le modèle.", "error", "code-span"),
    ("Some *magic* here.", "De la *magie ici.", "error", "markup"),
    ("A **bold** word.", "Un mot gras.", "warning", "markup"),  # dropped whole: a clean page
    ("An *italic* word.", "一个斜体词。", "warning", "markup"),
    ("A __bold__ word.", "Un mot __gras.", "error", "markup"),
    ("A plain sentence.", "# Une phrase", "error", "structure"),
    ("A plain sentence.", "- Une phrase", "error", "structure"),
    ("A plain sentence.", "<div>Une phrase</div>", "error", "html"),
    ("A plain sentence.", "```\nUne phrase\n```", "error", "newlines"),
    ("Count the words", "Compte les mots\rimport os", "error", "newlines"),  # Python ends a line
    ("Count the words", "Compte\u2028!rm -rf ~", "error", "newlines"),  # IPython ends a line
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
        ("Run `a` then `b`.", "Lancez `b` après `a`."),  # code spans may change order
        ("Cut into **tokens**.", "Découpé en **jetons** (*tokens*)."),  # a gloss may add emphasis
        ("A snake_case name.", "Un nom snake_case."),
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


# --- ignore comments that gettext tools keep ---------------------------------------------

_COMMENTED = """msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

# ailit-ignore: code-span, numbers
#. module 01, paragraph
#: courses/demo/01.md:3
#, md-text
msgid "Open `data.csv` in 3 steps."
msgstr "Ouvrez `données.csv` en trois étapes."

#, md-text, ailit-ignore-code-span
msgid "Open `b.csv`."
msgstr "Ouvrez `b2.csv`."
"""


def test_a_translator_comment_silences_checks_and_the_old_flags_still_do(tmp_path: Path) -> None:
    from ailit.i18n.catalog import entry_flags

    po = tmp_path / "fr.po"
    po.write_text(_COMMENTED, "utf-8")
    messages = [m for m in load(po, locale="fr") if m.id]
    for message in messages:
        flags = entry_flags(message)
        assert checks.check(str(message.id), str(message.string), flags) == []
        found = {p.code for p in checks.check(str(message.id), str(message.string))}
        assert CheckCode.CODE_SPAN in found  # without them: an error


@pytest.mark.parametrize(
    "tool",
    [["msgcat", "-o", "{out}", "{po}"], ["msgmerge", "-q", "-o", "{out}", "{po}", "{pot}"]],
    ids=["msgcat", "msgmerge"],
)
def test_the_ignore_comment_survives_gettext_tools(tmp_path: Path, tool: list[str]) -> None:
    import subprocess

    from ailit.i18n.catalog import entry_flags

    po, pot, out = tmp_path / "fr.po", tmp_path / "t.pot", tmp_path / "out.po"
    po.write_text(_COMMENTED, "utf-8")
    template = [
        'msgstr ""' if line.startswith('msgstr "Ouv') else line
        for line in _COMMENTED.splitlines()
        if not line.startswith("# ailit")
    ]  # the template: no translations, no translator comments
    pot.write_text("\n".join(template) + "\n", "utf-8")
    args = [a.format(out=out, po=po, pot=pot) for a in tool]
    subprocess.run(args, check=True, capture_output=True)
    kept = {str(m.id): entry_flags(m) for m in load(out, locale="fr") if m.id}
    first = kept["Open `data.csv` in 3 steps."]
    assert {"ailit-ignore-code-span", "ailit-ignore-numbers"} <= first


def test_an_unknown_name_in_the_ignore_comment_is_reported(tmp_path: Path) -> None:
    from ailit.commands.workflow import _check_flags

    po = tmp_path / "fr.po"
    po.write_text(_COMMENTED.replace("code-span, numbers", "code-spans"), "utf-8")
    message = next(m for m in load(po, locale="fr") if m.id)
    shown = [str(f) for f in _check_flags(po, message)]
    assert len(shown) == 1 and "'ailit-ignore-code-spans'" in shown[0], shown
    assert f"fr.po:{message.lineno}: warning: [unknown-flag]" in shown[0]


# --- the glossary reads prose, not code or addresses ---------------------------------------

TERMS = {"bias": "biais", "model": "modèle"}


@pytest.mark.parametrize(
    ("msgid", "markdown"),
    [
        ("Call `model.fit()` now.", True),
        ("x[0]*weights[0] + x[1]*weights[1] + bias", False),
        ("a * weights[0] + b * weights[1] + bias =", False),
        ("Read [the guide](https://example.org/model-bias.html).", True),
        ("See <https://example.org/bias>.", True),
        ("Details at https://example.org/model", False),
        ("![A chart](images/bias.png)", True),
    ],
)
def test_the_glossary_ignores_code_and_urls(msgid: str, markdown: bool) -> None:
    assert checks.glossary(msgid, "Texte", TERMS, markdown) == []


def test_the_glossary_still_reads_prose_around_code() -> None:
    found = checks.glossary("The `fit` call trains a model with a bias.", "Texte", TERMS)
    assert {p.message for p in found} == {
        "glossary: 'bias' should be 'biais'",
        "glossary: 'model' should be 'modèle'",
    }
    assert checks.glossary("A data-driven model.", "Un modèle.", TERMS) == []


def test_the_glossary_reads_an_arabic_term_with_or_without_its_article() -> None:
    terms = {"model card": "بطاقة نموذج"}
    assert checks.glossary("Write a model card.", "اكتب بطاقة النموذج.", terms) == []
    assert checks.glossary("Write a model card.", "اكتب وثيقة النموذج.", terms) != []


def test_the_glossary_lets_one_word_stand_between_a_terms_words() -> None:
    terms = {"model card": "kadi ya modeli", "stop rule": "kanuni ya kusimamisha"}
    assert checks.glossary("Write a short model card.", "Andika kadi fupi ya modeli.", terms) == []
    assert checks.glossary("Our stop rule.", "Kanuni yetu ya kusimamisha.", terms) == []
    assert checks.glossary("A model card.", "Kadi ya mtu wa modeli.", terms) != []  # two words


# --- an edited msgid is reported and never counted --------------------------------------------


def test_an_edited_msgid_is_reported_with_its_line_and_not_counted(tmp_path: Path) -> None:
    import json
    import shutil

    root = tmp_path / "demo"
    shutil.copytree(Path(__file__).parent / "fixtures" / "demo", root)
    before = json.loads(ailit("--project", str(root), "status", "--json").stdout)["fr"]["total"]
    po = root / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    text = po.read_text("utf-8")
    old = 'msgid "What the robot sees"'
    assert old in text
    po.write_text(text.replace(old, 'msgid "What the robot sees!"'), "utf-8")
    line = text.splitlines().index(old) + 1
    result = ailit("--project", str(root), "check")
    assert result.returncode == 1
    shown = result.stdout + result.stderr
    assert f"fr/LC_MESSAGES/demo.po:{line}: error: [unknown-msgid]" in shown, shown
    after = json.loads(ailit("--project", str(root), "status", "--json").stdout)["fr"]["total"]
    assert after["translated"] == before["translated"] - 1
    assert after["untranslated"] == before["untranslated"] + 1
    total = sum(after[k] for k in ("translated", "fuzzy", "untranslated"))
    assert total == sum(before[k] for k in ("translated", "fuzzy", "untranslated"))
