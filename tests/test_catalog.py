"""Catalogues: update never loses a translation; files are unwrapped, stable, tool-clean."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from hypothesis import given, settings
from hypothesis import strategies as st

from ailit.commands.workflow import extract, update
from ailit.core.files import write_atomic
from ailit.i18n import catalog
from ailit.i18n.catalog import Entry, template
from ailit.i18n.merge import merge, new_catalog
from ailit.model.project import Project

ROOT = Path(__file__).parent.parent


def _pot(*ids: str) -> Catalog:
    return template("t", [Entry(i) for i in ids])


def _po(pot: Catalog, **translations: str) -> Catalog:
    po = merge(new_catalog("fr", pot), pot)
    for message in po:
        if message.id in translations:
            message.string = translations[message.id]
    return po


def test_changed_text_becomes_fuzzy_with_the_previous_msgid() -> None:
    old = _po(_pot("The cat sleeps on the mat."), **{"The cat sleeps on the mat.": "Le chat dort."})
    new = merge(old, _pot("The cat sleeps on the red mat."))
    message = new.get("The cat sleeps on the red mat.")
    assert message is not None and message.fuzzy
    assert message.string == "Le chat dort."
    assert message.previous_id == ["The cat sleeps on the mat."]
    assert catalog.published(message) is None  # fuzzy text is never published


def test_removed_text_becomes_obsolete_and_returns() -> None:
    first = _po(_pot("Apples.", "Pears."), **{"Apples.": "Pommes.", "Pears.": "Poires."})
    removed = merge(first, _pot("Apples."))
    assert "Pears." in removed.obsolete
    assert removed.obsolete["Pears."].string == "Poires."
    back = merge(removed, _pot("Apples.", "Pears."))
    message = back.get("Pears.")
    assert message is not None and message.string == "Poires." and not message.fuzzy
    assert "Pears." not in back.obsolete


def test_moved_entries_stay_translated() -> None:
    first = _po(_pot("One.", "Two."), **{"One.": "Un.", "Two.": "Deux."})
    moved = merge(first, _pot("Two.", "One."))
    assert [(m.id, m.string, m.fuzzy) for m in moved if m.id] == [
        ("Two.", "Deux.", False),
        ("One.", "Un.", False),
    ]


def test_one_old_translation_is_not_poured_into_several_new_entries() -> None:
    old = _po(_pot("The river is long."), **{"The river is long.": "Le fleuve est long."})
    new = merge(old, _pot("The river is long!", "The river is long?"))
    fuzzy = [m for m in new if m.id and m.string]
    assert len(fuzzy) == 1
    assert "The river is long." in new.obsolete  # and the original stays findable


def test_fuzzy_entry_keeps_the_msgid_its_translation_was_written_for() -> None:
    po = _po(
        _pot("Count the red apples."), **{"Count the red apples.": "Comptez les pommes rouges."}
    )
    po = merge(po, _pot("Count the red apples now."))
    po = merge(po, _pot("Count the red apples now!"))
    message = po.get("Count the red apples now!")
    assert message is not None and message.previous_id == ["Count the red apples."]


def test_files_are_unwrapped_and_not_rewritten_when_only_the_date_changes(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(demo)
    pot = demo / "locales" / "demo.pot"
    before = pot.read_bytes()
    assert extract(project) == []
    assert pot.read_bytes() == before
    long_line = [line for line in before.splitlines() if line.startswith(b'msgid "A robot')]
    assert long_line and len(long_line[0]) > 80  # one line, however long
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert update(Project(demo)) == []


def test_update_end_to_end_keeps_every_translation(demo: Path) -> None:
    module = demo / "courses" / "demo" / "01-first-steps.md"
    text = module.read_text(encoding="utf-8")
    text = text.replace("It sees numbers.", "It sees many numbers.")
    text = text.replace("Zebras and giraffes live together.\n", "")
    module.write_text(text, encoding="utf-8")
    project = Project(demo)
    extract(project)
    update(project)
    po = catalog.load(demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po")
    changed = po.get("It sees many numbers.")
    assert changed is not None and changed.fuzzy and changed.string == "Il voit des nombres."
    assert po.obsolete["Zebras and giraffes live together."].string == (
        "Les zèbres et les girafes vivent ensemble."
    )
    module.write_text(text + "\nZebras and giraffes live together.\n", encoding="utf-8")
    project = Project(demo)
    extract(project)
    update(project)
    po = catalog.load(demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po")
    back = po.get("Zebras and giraffes live together.")
    assert back is not None and not back.fuzzy


def _catalogue_files() -> list[Path]:
    return (
        sorted(ROOT.glob("locales/**/*.po"))
        + sorted(ROOT.glob("locales/*.pot"))
        + sorted((ROOT / "tests" / "fixtures").glob("*/locales/**/*.po"))
    )


@pytest.mark.parametrize("path", _catalogue_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_msgfmt_check_accepts_every_catalogue(path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt (Debian package gettext) is required"
    result = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# --- the property: random edits, moves and restorations never lose a translation -------

SENTENCES = [f"Sentence number {n} about rivers and {w}." for n, w in enumerate(
    ["fish", "boats", "bridges", "rain", "stones", "birds", "mills", "farms"])]  # fmt: skip

EDIT = st.one_of(
    st.tuples(st.just("change"), st.integers(0, 20), st.sampled_from([" Really.", " Now.", "!"])),
    st.tuples(st.just("delete"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("insert"), st.integers(0, 20), st.sampled_from(SENTENCES)),
    st.tuples(st.just("move"), st.integers(0, 20), st.just("")),
    st.tuples(st.just("translate"), st.integers(0, 20), st.just("")),
)


def _through_a_file(po: Catalog) -> Catalog:
    """Write and read back, as `ailit update` does between two runs."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fr.po"
        write_atomic(path, catalog.render(po))
        return catalog.load(path, locale="fr")


@settings(max_examples=120, deadline=None)
@given(st.lists(EDIT, min_size=1, max_size=25))
def test_no_translation_is_ever_lost(edits: list[tuple[str, int, str]]) -> None:
    source = list(SENTENCES[:4])
    po = merge(new_catalog("fr", _pot(*source)), _pot(*source))
    written: set[str] = set()
    counter = 0
    for action, index, extra in edits:
        if action == "translate" and source:
            message = po.get(source[index % len(source)])
            if message is not None:
                written.discard(message.string)  # the translator replaced their own text
                counter += 1
                message.string = f"traduction {counter}"
                message.flags.discard("fuzzy")
                written.add(message.string)
        elif action == "change" and source:
            source[index % len(source)] += extra
        elif action == "delete" and source:
            source.pop(index % len(source))
        elif action == "insert" and extra not in source:
            source.insert(index % (len(source) + 1), extra)
        elif action == "move" and len(source) > 1:
            source.append(source.pop(index % len(source)))
        po = _through_a_file(merge(po, _pot(*source)))
        kept = {m.string for m in po if m.id} | {m.string for m in po.obsolete.values()}
        assert written <= kept
        assert all(m.previous_id for m in po if m.id and m.fuzzy)  # each says what changed


def test_a_long_changed_paragraph_stays_a_valid_catalogue(demo: Path) -> None:
    """`#| msgid` of a long text stays one valid line (Babel wraps comments otherwise)."""
    long_text = " ".join(["A robot learns from many examples, one after another."] * 4)
    module = demo / "courses" / "demo" / "01-first-steps.md"
    text = module.read_text(encoding="utf-8").replace("It sees numbers.", long_text)
    module.write_text(text, encoding="utf-8")
    project = Project(demo)
    extract(project)
    update(project)
    po = demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    translated = catalog.load(po)
    translated[long_text].string = "Un robot apprend de nombreux exemples."
    catalog.save(po, translated)
    text = module.read_text(encoding="utf-8").replace(long_text, long_text + " Really.")
    module.write_text(text, encoding="utf-8")
    project = Project(demo)
    extract(project)
    update(project)
    catalogue = catalog.load(po)  # ailit's own strict reader accepts it
    fuzzy = [m for m in catalogue if m.fuzzy and m.previous_id]
    assert fuzzy and fuzzy[0].previous_id == [long_text]
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    update(Project(demo))  # and the previous msgid survives the next update as `#|`
    again = catalog.load(po)
    assert [m.previous_id for m in again if m.fuzzy] == [[long_text]]
    assert "# | msgid" not in po.read_text("utf-8")


# --- nothing msgfmt --check rejects gets past ailit -----------------------------------------

_LIVE = 'msgid "What the robot sees"\nmsgstr "Ce que voit le robot"'
_BRACE = 'msgstr "Le panier contient {count} fruits."'
_PLURAL = '\nmsgid "One fruit"\nmsgid_plural "{n} fruits"\nmsgstr[0] "Un fruit"\n'
DAMAGES = {
    "second msgstr": lambda t: t.replace(_LIVE, _LIVE + '\nmsgstr "Ce que le robot voit"'),
    "second msgstr, fuzzy": lambda t: t.replace(
        "#, md-text\n" + _LIVE, "#, md-text, fuzzy\n" + _LIVE + '\nmsgstr "Vu"'
    ),
    "duplicate entry": lambda t: t + '\nmsgid "Demo course"\nmsgstr "Cours"\n',
    "duplicate context entry": lambda t: t + '\nmsgctxt "c"\nmsgid "A"\nmsgstr "a"\n'
    '\nmsgctxt "c"\nmsgid "A"\nmsgstr "b"\n',
    "duplicate obsolete": lambda t: t + '\n#~ msgid "Gone"\n#~ msgstr "Parti"\n'
    '\n#~ msgid "Gone"\n#~ msgstr "Disparu"\n',
    "missing plural form": lambda t: t + _PLURAL,
    "extra plural form": lambda t: t + _PLURAL + 'msgstr[1] "a"\nmsgstr[2] "b"\n',
    "plural index gap": lambda t: t + _PLURAL + 'msgstr[2] "b"\n',
    "msgstr[0] without msgid_plural": lambda t: t.replace(
        'msgstr "Ce que voit', 'msgstr[0] "Ce que voit'
    ),
    "msgid_plural with plain msgstr": lambda t: t + '\nmsgid "a"\nmsgid_plural "b"\nmsgstr "c"\n',
    "no Plural-Forms with plurals": lambda t: t.replace(
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n', ""
    ) + _PLURAL + 'msgstr[1] "a"\n',
    "bad plural expression": lambda t: t.replace("plural=(n > 1)", "plural=(n > )"),
    "nplurals zero": lambda t: t.replace("nplurals=2", "nplurals=0"),
    "missing msgstr": lambda t: t.replace('\nmsgstr "Ce que voit le robot"', ""),
    "msgctxt alone at the end": lambda t: t + '\nmsgctxt "x"\n',
    "msgstr without msgid": lambda t: t.replace('msgid "What the robot sees"\n', ""),
    "two msgids": lambda t: t.replace('msgid "What the', 'msgid "x"\nmsgid "What the'),
    "comment inside an entry": lambda t: t.replace(_LIVE, _LIVE.replace("\nmsgstr", "\n# x\nmsgstr")),
    "unclosed string": lambda t: t.replace('"Ce que voit le robot"', '"Ce que voit le robot'),
    "bad escape": lambda t: t.replace('"Ce que voit le robot"', '"Ce que \\q voit le robot"'),
    "unknown keyword": lambda t: t.replace('msgstr "Ce que voit', 'msgtsr "Ce que voit'),
    "stray word": lambda t: t.replace(_LIVE, _LIVE + "\nfoo"),
    "leading newline": lambda t: t.replace('"Ce que voit le robot"', '"\\nCe que voit le robot"'),
    "trailing newline": lambda t: t.replace('"Ce que voit le robot"', '"Ce que voit le robot\\n"'),
    "brace placeholder": lambda t: t.replace(_BRACE, _BRACE.replace("{count}", "{nombre}")),
    "c-format": lambda t: t.replace("#, md-text\n" + _LIVE, "#, md-text, c-format\n"
                                    + _LIVE.replace("voit le", "voit %d")),
    "byte order mark": lambda t: "\ufeff" + t,
}  # fmt: skip


def _msgfmt(path: Path) -> tuple[bool, set[int]]:
    """Whether msgfmt --check accepts the file, and every line it names."""
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True
    )
    lines = {int(n) for n in __import__("re").findall(rf"{path.name}:(\d+)", result.stderr)}
    return result.returncode == 0, lines


@pytest.fixture(scope="module")
def unbuilt_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("damaged") / "demo"
    shutil.copytree(ROOT / "tests" / "fixtures" / "demo", root)
    return root


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_what_msgfmt_rejects_ailit_rejects_naming_file_and_line(
    unbuilt_demo: Path, damage: str
) -> None:
    from ailit.commands.workflow import check

    po = unbuilt_demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    original = (ROOT / "tests" / "fixtures" / "demo" / po.relative_to(unbuilt_demo)).read_text(
        "utf-8"
    )
    damaged = DAMAGES[damage](original)
    assert damaged != original
    po.write_text(damaged, "utf-8")
    accepted, named = _msgfmt(po)
    assert not accepted, f"msgfmt accepts {damage}: not a damage"
    errors = [f for f in check(Project(unbuilt_demo)).errors if f.path == po]
    assert errors, f"ailit check accepts what msgfmt --check rejects: {damage}"
    assert all(f.line for f in errors)
    near = [f for f in errors if any(abs(f.line - n) <= 3 for n in named)]  # type: ignore[operator]
    assert near, f"{damage}: ailit names {[str(f) for f in errors]}, msgfmt lines {named}"


def test_the_undamaged_catalogue_passes_both(unbuilt_demo: Path) -> None:
    from ailit.commands.workflow import check

    po = ROOT / "tests" / "fixtures" / "demo" / "locales" / "fr" / "LC_MESSAGES" / "demo.po"
    assert _msgfmt(po)[0]
    shutil.copy(po, unbuilt_demo / "locales" / "fr" / "LC_MESSAGES" / "demo.po")
    assert check(Project(unbuilt_demo)).errors == []


def test_a_second_msgstr_names_its_line_rather_than_keeping_the_last(tmp_path: Path) -> None:
    po = tmp_path / "fr.po"
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Hi"\nmsgstr "Salut"\nmsgstr "Bonjour"\n', "utf-8")
    with pytest.raises(catalog.CatalogueError) as caught:
        catalog.load(po)
    assert caught.value.line == 6 and "second msgstr" in caught.value.message


# --- obsolete entries are keyed by (msgctxt, msgid) -------------------------------------------


def test_obsolete_entries_differing_only_in_context_all_survive_a_merge(tmp_path: Path) -> None:
    po = tmp_path / "fr.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: fr\\n"\n\nmsgid "Kept"\nmsgstr "Gardé"\n\n'
        '#~ msgctxt "money"\n#~ msgid "Bank"\n#~ msgstr "Banque"\n\n'
        '#~ msgctxt "river"\n#~ msgid "Bank"\n#~ msgstr "Rive"\n\n'
        '#~ msgid "Bank"\n#~ msgstr "Banc"\n',
        "utf-8",
    )
    loaded = catalog.load(po, locale="fr")
    merged = merge(loaded, _pot("Kept"))
    kept = {(m.context, m.string) for m in merged.obsolete.values()}
    assert kept == {("money", "Banque"), ("river", "Rive"), (None, "Banc")}
    out = tmp_path / "out.po"
    out.write_bytes(catalog.render(merged))
    again = merge(catalog.load(out, locale="fr"), _pot("Kept"))
    assert {(m.context, m.string) for m in again.obsolete.values()} == kept
    # and each comes back, with its own translation, when its text returns
    pot = template("t", [Entry("Bank", context="river"), Entry("Bank", context="money")])
    back = merge(again, pot)
    assert back.get("Bank", "river").string == "Rive"
    assert back.get("Bank", "money").string == "Banque"
