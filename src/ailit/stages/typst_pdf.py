"""Typst lays out a handout from data: one compiler per process, Debian's Noto fonts by name.

The fonts are the files named below and nothing else (no system font, none of Typst's
own), so every machine with Debian's Noto packages writes the same PDF; the timestamp is
fixed, so a PDF is the same bytes from build to build. No package is ever downloaded.
"""

from __future__ import annotations

import atexit
import functools
import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ailit.core.errors import BuildError
from ailit.core.paths import TEMPLATES

TEMPLATE = TEMPLATES / "handout" / "handout.typ"

#: The font files a handout may use (Debian: fonts-noto-core, fonts-noto-cjk, fonts-dejavu-core).
FONT_FILES = (
    "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Italic.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-BoldItalic.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf",
    "/usr/share/fonts/truetype/noto/NotoNaskhArabic-Bold.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf",
)

#: Noto families to try first, by language; the others follow for any other script.
_FONTS = {
    "ar": "Noto Naskh Arabic",
    "fa": "Noto Naskh Arabic",
    "zh": "Noto Sans CJK SC",
    "zh_TW": "Noto Sans CJK TC",
    "zh_Hant": "Noto Sans CJK TC",
    "ja": "Noto Sans CJK JP",
    "ko": "Noto Sans CJK KR",
}
_FALLBACK_FONTS = ["Noto Sans", "Noto Naskh Arabic", "Noto Sans CJK SC", "DejaVu Sans Mono"]


def primary_font(language: str) -> str:
    """The family a locale's text is set in first ("" for the default, Noto Sans)."""
    return _FONTS.get(language) or _FONTS.get(language.split("_")[0]) or ""


def fonts_for(language: str) -> list[str]:
    """The families in the order Typst tries them for a locale."""
    first = primary_font(language)
    return ([first] if first else []) + [f for f in _FALLBACK_FONTS if f != first]


def _script_fonts() -> list[str]:
    """Every Noto Sans face for a script (Devanagari, Thai, Ethiopic…) fonts-noto-core has.

    Typst falls back to any font it was given for a glyph the first ones lack, so a new
    language in a new script prints in its own letters, not empty boxes (~40 ms once).
    """
    folder = Path(FONT_FILES[0]).parent
    return [
        str(path)
        for path in sorted(folder.glob("NotoSans*-*.ttf"))
        if _SCRIPT_FACE.fullmatch(path.name)
    ]


_SCRIPT_FACE = re.compile(r"NotoSans(?!Mono|Display)[A-Za-z]*?(?<!UI)-(Regular|Bold)\.ttf")


@functools.cache
def _compiler() -> Any:
    """One compiler per process: it keeps its fonts and what it laid out before."""
    import typst

    if not Path(FONT_FILES[0]).is_file():
        raise BuildError(
            "handouts need Debian's Noto fonts (fonts-noto-core, fonts-noto-cjk): "
            "run scripts/system-deps.sh",
            FONT_FILES[0],
        )
    folder = Path(tempfile.mkdtemp(prefix="ailit-fonts-"))  # Typst reads fonts by folder
    atexit.register(shutil.rmtree, folder, True)
    for name in (*FONT_FILES, *_script_fonts()):
        link = folder / Path(name).name
        if Path(name).is_file() and not link.exists():  # a missing one: Noto Sans stands in
            link.symlink_to(name)
    fonts = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(folder)]
    )
    return typst.Compiler(font_paths=fonts, ignore_system_fonts=True)


def compile_pdf(data: dict[str, Any], images: Path) -> bytes:
    """The PDF of one sheet; ``images`` is the folder the data's image paths start from."""
    images.mkdir(parents=True, exist_ok=True)
    pdf = _compiler().compile(
        input=TEMPLATE.read_bytes(),
        format="pdf",
        sys_inputs={"sheet": json.dumps(data, ensure_ascii=False)},
        root=str(images),
        timestamp=0,
    )
    assert isinstance(pdf, bytes)
    return pdf
