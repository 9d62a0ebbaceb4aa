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
