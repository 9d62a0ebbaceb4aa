"""New languages in one command, and catalogues the translators' tools accept as they are."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import ROOT, ailit


def test_init_locale_builds_at_once_with_cldr_plurals(demo: Path) -> None:
    result = ailit("--project", str(demo), "init-locale", "ha", check=True)
    assert "direction ltr" in result.stdout
    po = demo / "locales" / "ha" / "LC_MESSAGES" / "demo.po"
    site = demo / "locales" / "ha" / "LC_MESSAGES" / "site.po"
    assert po.is_file() and site.is_file()
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in po.read_text("utf-8")
    assert "ha:" in (demo / "site_config" / "languages.yml").read_text("utf-8")
    ailit("--project", str(demo), "build", "--locale", "ha", check=True)
    page = (demo / "build" / "site" / "ha" / "demo" / "01-first-steps.html").read_text("utf-8")
    assert '<html lang="ha"' in page and "A robot learns from" in page  # English fallback
    # Material has no Hausa: the interface strings are in site.po, ready to translate
    assert 'msgctxt "theme:search.placeholder"' in site.read_text("utf-8")


def test_init_locale_for_a_right_to_left_language(demo: Path) -> None:
    result = ailit("--project", str(demo), "init-locale", "fa", check=True)
    assert "direction rtl" in result.stdout
    ailit("--project", str(demo), "build", "--locale", "fa", check=True)
    page = (demo / "build" / "site" / "fa" / "demo" / "01-first-steps.html").read_text("utf-8")
    assert 'dir="rtl"' in page


def test_init_locale_with_a_region_or_script(demo: Path) -> None:
    """BCP 47 codes with a region or script (pt-BR, sr-Latn, pa-Arab) name the language in
    itself, pass check and build, with the script's direction."""
    for code, name, direction in (("pt-BR", "português (Brasil)", "ltr"),
                                  ("sr-Latn", "srpski (latinica)", "ltr"),
                                  ("pa-Arab", "پنجابی (عربی)", "rtl")):  # fmt: skip
        result = ailit("--project", str(demo), "init-locale", code, check=True)
        assert f"direction {direction}" in result.stdout
        assert f"{code}: {{name: {name}" in (demo / "site_config" / "languages.yml").read_text(
            "utf-8"
        )
    ailit("--project", str(demo), "check", check=True)
    ailit("--project", str(demo), "build", "--locale", "pa-Arab", check=True)
    page = (demo / "build" / "site" / "pa-Arab" / "demo" / "01-first-steps.html").read_text("utf-8")
    assert '<html lang="pa-Arab"' in page and 'dir="rtl"' in page


def test_init_locale_rejects_an_unknown_code(demo: Path) -> None:
    result = ailit("--project", str(demo), "init-locale", "xx-nope")
    assert result.returncode == 1
    assert "unknown locale code" in result.stderr


def _catalogues() -> list[Path]:
    return sorted(ROOT.glob("locales/*/LC_MESSAGES/*.po"))


@pytest.mark.parametrize("path", _catalogues(), ids=lambda p: str(p.relative_to(ROOT)))
def test_msgcat_leaves_the_content_unchanged(path: Path, tmp_path: Path) -> None:
    msgcat = shutil.which("msgcat")
    assert msgcat, "msgcat (Debian package gettext) is required"
    out = tmp_path / "out.po"
    subprocess.run([msgcat, "--no-wrap", "-o", str(out), str(path)], check=True)

    def content(p: Path) -> list[tuple]:
        # GNU tools keep only gettext's own flags (md-text and ailit-* go; `ailit update`
        # puts md-text back from the template): compare texts, contexts and fuzziness
        with p.open("rb") as handle:
            catalog = read_po(handle)
        return [(m.id, m.string, m.context, m.fuzzy) for m in catalog] + [
            (m.id, m.string) for m in catalog.obsolete.values()
        ]

    assert content(out) == content(path)


def test_pocount_reads_every_catalogue() -> None:
    pocount = str(Path(sys.executable).parent / "pocount")  # translate-toolkit, a test dependency
    result = subprocess.run(
        [pocount, "--csv", *map(str, _catalogues())], capture_output=True, text=True, check=True
    )
    lines = [line for line in result.stdout.splitlines()[1:] if line.strip()]
    assert len(lines) == len(_catalogues())
