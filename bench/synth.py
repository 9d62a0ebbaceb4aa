"""A synthetic ailit project: N modules in courses of up to 12, M locales, pseudo-translated.

Everything is deterministic (seeded), so two runs of the benchmark build the same pages.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import yaml

#: Target locales, in the order they are added (all known to Babel's CLDR data).
LOCALES = ["fr", "es", "pt", "ar", "zh", "sw", "de", "it", "nl", "pl", "tr", "vi"]
PER_COURSE = 12

_WORDS = (
    "data model learn example machine rule pattern image word number table answer question "
    "computer system people decide fair test train label group predict mistake score sensor "
    "picture sound text city farm school teacher learner phone camera weather crop market "
    "choose compare count measure check explain describe sort guess collect share build "
    "simple careful useful different large small new old many few every some each often "
    "because when while after before although therefore however also only still again"
)
WORDS = _WORDS.split()
_TERMS = "training data|a model|an algorithm|a label|a prediction|bias|a feature|a dataset"
TERMS = _TERMS.split("|")
HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
ailit:
  level: {level}
  age: "11+"
  duration: {duration}
  prerequisites: []
  competencies: [ai-foundations, application-skills]
  big_ideas: [{idea}]
---
"""


def _sentence(rng: random.Random, words: int = 0) -> str:
    picked = rng.choices(WORDS, k=words or rng.randint(8, 18))
    if rng.random() < 0.3:
        picked.insert(rng.randrange(len(picked)), f"**{rng.choice(TERMS)}**")
    if rng.random() < 0.2:
        picked.insert(rng.randrange(len(picked)), str(rng.randint(2, 500)))
    text = " ".join(picked)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, sentences: int = 0) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences or rng.randint(3, 6)))


def _title(rng: random.Random, words: int = 4) -> str:
    text = " ".join(rng.choices(WORDS, k=words))
    return text[0].upper() + text[1:]


def module_text(number: int) -> str:
    """One module: objectives, sections, list, table, admonition, code, activity, quiz, guide."""
    rng = random.Random(number)
    r = rng
    items = "\n".join(f"- {_sentence(r, 10)}" for _ in range(3))
    steps = "\n".join(f"{i}. {_sentence(r, 12)}" for i in range(1, 5))
    rows = "\n".join(f"| {_title(r, 2)} | {r.randint(1, 99)} | {_title(r, 3)} |" for _ in range(4))
    values = ", ".join(str(r.randint(10, 99)) for _ in range(8))
    questions = []
    for q in range(1, 4):
        right = r.randrange(3)
        answers = "\n".join(
            f"   - [{'x' if a == right else ' '}] {_title(r, 4)}\n     > {_sentence(r, 9)}"
            for a in range(3)
        )
        questions.append(f"{q}. {_title(r, 6)}?\n{answers}")
    quiz = "\n".join(questions)
    return HEADER.format(
        level=r.choice(["beginner", "intermediate"]),
        duration=r.choice([45, 60, 75]),
        idea=r.randint(1, 5),
    ) + (
        f"\n# {_title(r, 3)} {number}\n\n"
        f":::{{objectives}}\n{items}\n:::\n\n"
        f"{_paragraph(r)}\n\n{_paragraph(r)}\n\n"
        f"## {_title(r)}\n\n{_paragraph(r)}\n\n"
        f"{steps}\n\n"
        f"| {_title(r, 1)} | {_title(r, 1)} | {_title(r, 1)} |\n|---|---|---|\n{rows}\n\n"
        f":::{{note}} {_title(r, 2)}\n{_paragraph(r, 2)}\n:::\n\n"
        "```{code-cell} python\nimport numpy as np\n\n"
        f"# {_sentence(r, 8)}\nscores = np.array([{values}])\n"
        f'print(_("{_title(r, 4)}:"), scores.mean(), scores.max())\n```\n\n'
        f"{_paragraph(r)}\n\n## {_title(r)}\n\n{_paragraph(r)}\n\n{_paragraph(r)}\n\n"
        f":::{{unplugged}} {_title(r, 3)}\n**{_title(r, 1)}:** {_sentence(r)}\n\n"
        f"{_paragraph(r, 3)}\n:::\n\n"
        f"::::{{quiz}}\n{quiz}\n::::\n\n"
        f"::::{{teacher-guide}}\n## Timing\n\n{items}\n\n## Answers\n\n{_paragraph(r, 3)}\n::::\n"
    )


def write_project(root: Path, modules: int, locales: int) -> list[str]:
    """Write courses/ and site_config/ for ``modules`` x ``locales``; return target locales."""
    targets = LOCALES[: locales - 1]
    courses = [list(range(i, min(i + PER_COURSE, modules))) for i in range(0, modules, PER_COURSE)]
    for index, numbers in enumerate(courses, start=1):
        folder = root / "courses" / f"course-{index:02d}"
        folder.mkdir(parents=True)
        names = []
        for position, number in enumerate(numbers, start=1):
            name = f"{position:02d}-lesson-{number + 1:03d}"
            (folder / f"{name}.md").write_text(module_text(number), encoding="utf-8")
            names.append(name)
        rng = random.Random(-index)
        course = {
            "title": f"{_title(rng, 3)} {index}",
            "summary": _sentence(rng),
            "audience": _sentence(rng, 8),
            "level": "beginner",
            "duration": 60 * len(names),
            "modules": names,
        }
        (folder / "course.yml").write_text(yaml.safe_dump(course, sort_keys=False), "utf-8")
    config = root / "site_config"
    config.mkdir()
    languages = {code: {"review": "unreviewed"} for code in targets}
    settings = {"source": "en", "publish_threshold": 80, "languages": languages}
    (config / "languages.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: ailit bench\ntheme:\n  name: material\n  palette:\n    primary: indigo\n"
        "  features:\n    - navigation.sections\n    - navigation.footer\n    - search.highlight\n",
        encoding="utf-8",
    )
    return targets


# Pseudo-translation: letters change, everything a check compares (markup, link targets,
# placeholders, code spans, HTML, numbers, newlines) stays as it is.
_KEEP = re.compile(r"`+[^`]*`+|\]\([^)]*\)|\{[^{}]*\}|<[^>]*>|&\w+;|\[[ xX]\]|https?://\S+")
_WORD = re.compile(r"[A-Za-z]+")
_SCRIPTS = {"ar": (0x0627, 36), "zh": (0x4E00, 3000)}
_ACCENTS = {"fr": "éèàç", "es": "ñáó", "pt": "ãçõ", "de": "äöüß", "vi": "ơưạế", "pl": "ąęłż"}


def pseudo(text: str, code: str) -> str:
    """A deterministic stand-in translation of ``text`` into ``code``."""
    parts = []
    last = 0
    for keep in _KEEP.finditer(text):
        parts.append(_words(text[last : keep.start()], code))
        parts.append(keep.group())
        last = keep.end()
    parts.append(_words(text[last:], code))
    return "".join(parts)


def _words(text: str, code: str) -> str:
    return _WORD.sub(lambda m: _word(m.group(), code), text)


def _word(word: str, code: str) -> str:
    seed = int.from_bytes(hashlib.md5(f"{code}:{word}".encode()).digest()[:4], "big")
    if code in _SCRIPTS:
        start, size = _SCRIPTS[code]
        length = max(1, len(word) // 2) if code == "zh" else len(word)
        return "".join(chr(start + (seed >> (3 * i)) % size) for i in range(length))
    letters = "abcdefghijklmnopqrstuvwxyz" + _ACCENTS.get(code, "")
    out = "".join(letters[(seed >> (2 * i)) % len(letters)] for i in range(len(word)))
    return out.capitalize() if word[0].isupper() else out


def fill_catalogue(path: Path, code: str) -> None:
    """Give every empty msgstr of a .po file its pseudo-translation (plural forms too)."""
    from babel.messages.pofile import read_po, write_po

    with path.open("rb") as handle:
        po = read_po(handle, locale=code)
    for message in po:
        if not message.id or (message.string and not message.fuzzy):
            continue
        if isinstance(message.id, (list, tuple)):
            forms = [message.id[0]] + [message.id[1]] * (po.num_plurals - 1)
            message.string = tuple(pseudo(form, code) for form in forms)
        else:
            message.string = pseudo(message.id, code)
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, po, width=0, omit_header=False)
