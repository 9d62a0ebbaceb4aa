"""``ailit new``: a course or a module with every convention in place, parts marked unwritten.

Each placeholder starts with ``UNWRITTEN``, which ``ailit check`` reports until an author
replaces it, so a half-written module can be previewed but never passes the checks.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ailit.core.errors import CourseError
from ailit.core.files import write_atomic
from ailit.model.course import MODULE_NAME
from ailit.model.yamledit import add_module
from ailit.model.yamlfile import read_document

MARKER = "UNWRITTEN"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")

COURSE_YML = f"""title: "{MARKER}: the course title"
summary: "{MARKER}: one sentence a teacher reads in the catalogue."
audience: "{MARKER}: who the course is for."
level: beginner
duration: 60
# Parts every module must have ('ailit check' warns when one lacks one), for example:
# requires: [objectives, unplugged, quiz, teacher-guide]
modules: []
"""

MODULE = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
ailit:
  level: beginner
  age: "11+"
  duration: 60
  prerequisites: []
  competencies: [ai-foundations]
  big_ideas: [3]
---

# {title}

:::{{objectives}}
- {m}: a first measurable objective (learners will be able to...).
- {m}: a second objective.
- {m}: a third objective.
:::

{m}: the lesson text. Short paragraphs; headings, lists and tables as needed.

```{{code-cell}} python
# {m}: explain what this code does
import numpy as np
import matplotlib.pyplot as plt

print(_("{m}: a sentence the learner reads"))
```

:::{{unplugged}} {m}: the unplugged activity's title
{m}: materials, steps and what to discuss, for a class with no computers.
:::

::::{{quiz}}
1. {m}: the first question?
   - [x] {m}: the right answer
     > {m}: why it is right.
   - [ ] {m}: a wrong answer
     > {m}: why it is wrong.
2. {m}: the second question?
   - [ ] {m}: a wrong answer
     > {m}: why it is wrong.
   - [x] {m}: the right answer
     > {m}: why it is right.
3. {m}: the third question?
   - [x] {m}: the right answer
     > {m}: why it is right.
   - [ ] {m}: a wrong answer
     > {m}: why it is wrong.
::::

::::{{teacher-guide}}
## Timing

{m}: minutes for each part of the lesson.

## Materials

{m}: what to prepare.

## Discussion prompts

{m}: questions to ask the class.

## Common misconceptions

{m}: what learners often get wrong, and how to respond.

## Answers

{m}: answers to the activity and the quiz.
::::
"""


def slugify(title: str) -> str:
    """An ASCII file name from a title: 'What is AI?' -> 'what-is-ai'."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:40].strip("-") or "module"


def new_course(courses_dir: Path, slug: str) -> Path:
    """Create ``courses/<slug>/course.yml`` with placeholders."""
    if not _SLUG.fullmatch(slug):
        raise CourseError(f"course name {slug!r} must be lower-case letters, digits and dashes")
    folder = courses_dir / slug
    if (folder / "course.yml").exists():
        raise CourseError("course already exists", folder / "course.yml")
    (folder / "data").mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "course.yml", COURSE_YML.encode())
    return folder / "course.yml"


def new_module(courses_dir: Path, course: str, title: str) -> Path:
    """Create the next ``NN-<slug>.md`` of a course and list it in course.yml."""
    folder = courses_dir / course
    yml = folder / "course.yml"
    document = read_document(yml)
    listed = document.data.get("modules") if isinstance(document.data, dict) else None
    if listed is not None and not isinstance(listed, list):  # found before the module is written
        raise CourseError(
            f"field 'modules' must be a list, got {listed!r}", yml, document.line("modules")
        )
    numbers = [
        int(p.name[:2]) for p in folder.glob("[0-9][0-9]-*") if MODULE_NAME.fullmatch(p.stem)
    ]
    name = f"{max(numbers, default=0) + 1:02d}-{slugify(title)}"
    path = folder / f"{name}.md"
    if path.exists():
        raise CourseError("module already exists", path)
    safe_title = title.replace("\n", " ").strip() or f"{MARKER}: the module title"
    write_atomic(path, MODULE.format(title=safe_title, m=MARKER).encode())
    add_module(yml, name)
    return path
