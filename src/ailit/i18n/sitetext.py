"""The site's own words (ailit's pages and Material's interface), all sent through site.po.

Material ships its interface strings for about 60 languages as Jinja partials; a language
it lacks (Swahili, Hausa, Amharic...) crashes the build. ailit writes that partial itself
from site.po, with Material's own translation, then English, as fallbacks, so a
translator brings a new language by translating site.po alone.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

import material

from ailit.model.directives import DIRECTIVES

THEME_CONTEXT = "theme"  # msgctxt prefix of Material's interface strings in site.po

#: ailit's own page strings: key -> English text (the msgid).
SITE: dict[str, str] = {
    "choose_language": "Choose your language",
    "site_tagline": "Open AI-literacy courses that work without the internet.",
    "courses": "Courses",
    "course": "Course",
    "modules": "Modules",
    "module": "Module",
    "catalogue_intro": "Choose a course and a module to start.",
    "level": "Level",
    "age": "Age",
    "duration": "Duration",
    "minutes": "{minutes} minutes",
    "audience": "Audience",
    "prerequisites": "Before this module",
    "competencies": "UNESCO competencies",
    "big_ideas": "AI4K12 big ideas",
    "download_notebook": "Download the notebook (.ipynb)",
    "notebook_help": "Open it in Jupyter to run the code yourself.",
    "untranslated_mark": "Not yet translated: shown in English.",
    "untranslated_count": "{count} passages on this page are not yet translated and are shown in English.",
    "preview": "Preview: only {percent}% of this language is translated so far.",
    "unreviewed": "This translation has not yet been reviewed by a native speaker. Corrections are welcome.",
    "figure_alt": "Figure made by the code above",
    "show_code": "Show code",
    "show_output": "Show output",
    "show_cell": "Show code and output",
    "run_failed": "This page is incomplete: when the site was built, its code stopped at cell {cell} (line {line}): {message}",
    "run_failed_cell": "This page is incomplete: when the site was built, its code stopped at cell {cell}: {message}",
    "run_failed_kernel": "This page is incomplete: when the site was built, its code could not run: {message}",
    "output_label": "Output",
    "language_page": "Languages",
    "level.beginner": "Beginner",
    "level.beginner-intermediate": "Beginner to intermediate",
    "level.intermediate": "Intermediate",
    "level.advanced": "Advanced",
    "level.all": "All levels",
    # directives' default titles, keyed by name (model.directives)
    **{d.name: d.title for d in DIRECTIVES if d.title},
    "teacher_guide_link": "Open the teacher guide",
    "teacher_guide_for": "Teacher guide: {title}",
    "back_to_module": "Back to the module",
    "quiz_right": "Right!",
    "quiz_wrong": "Not quite. Read the feedback and try again.",
    "quiz_score": "{right} of {total} answered right.",
    "answer": "Answer",
    "glossary": "Glossary",
    "glossary_intro": "The words this course uses for the key ideas of AI, and what each one means.",
    "glossary_term": "Term",
    "english_term": "English",
    "glossary_definition": "Definition",
    "competency.human-agency": "Human agency",
    "competency.human-accountability": "Human accountability",
    "competency.citizenship": "Citizenship in the era of AI",
    "competency.embodied-ethics": "Embodied ethics",
    "competency.safe-responsible-use": "Safe and responsible use",
    "competency.ethics-by-design": "Ethics by design",
    "competency.ai-foundations": "AI foundations",
    "competency.application-skills": "Application skills",
    "competency.creating-ai-tools": "Creating AI tools",
    "competency.problem-scoping": "Problem scoping",
    "competency.architecture-design": "Architecture design",
    "competency.iteration-feedback": "Iteration and feedback loops",
    "big_idea.1": "Perception",
    "big_idea.2": "Representation and reasoning",
    "big_idea.3": "Learning",
    "big_idea.4": "Natural interaction",
    "big_idea.5": "Societal impact",
    # the teacher's catalogue, module buttons, handouts and curriculum map
    "filter_legend": "Find a module",
    "filter_any": "Any",
    "filter_up_to": "Up to {minutes} minutes",
    "filter_reset": "Show all",
    "filter_count": "{shown} of {total} modules shown.",
    "filter_none": "No module matches these filters.",
    "filter_relax": "Set “{filter}” to “{any}” to see more modules.",
    "filter_relax_all": "Press “{reset}” to see every module.",
    "download_handout": "Printable handout (PDF)",
    "download_teacher_pdf": "Printable teacher guide (PDF)",
    "handout_lesson": "In this lesson",
    "handout_name": "Name",
    "handout_date": "Date",
    "curriculum_map": "Curriculum map",
    "map_link": "What do these courses cover? See the curriculum map.",
    "map_intro": "Which competencies of the UNESCO AI competency framework for students and which AI4K12 big ideas each module works on, and where the gaps are.",
    "unesco_framework": "UNESCO AI competency framework for students",
    "unesco_caption": "Modules by dimension and progression level of the UNESCO framework",
    "ai4k12": "AI4K12 five big ideas",
    "ai4k12_caption": "Modules by AI4K12 big idea",
    "dimension": "Dimension",
    "big_idea": "Big idea",
    "not_covered": "Not covered yet",
    "covered_count": "{covered} of {total} covered.",
    "gaps": "Not covered yet: {names}.",
    "dimension.human-centred-mindset": "Human-centred mindset",
    "dimension.ethics-of-ai": "Ethics of AI",
    "dimension.ai-techniques-and-applications": "AI techniques and applications",
    "dimension.ai-system-design": "AI system design",
    "progression.understand": "Understand",
    "progression.apply": "Apply",
    "progression.create": "Create",
    # numbered figures, exercises and tables, and solutions (MyST)
    "figure_number": "Figure {number}",
    "exercise_number": "Exercise {number}",
    "table_number": "Table {number}",
    "solution_to": "Solution to Exercise {number}",
    # START-HERE.txt of an offline copy (ailit bundle)
    "start_open": "Open index.html in a web browser. Everything works without the internet.",
    "start_check": "To check that no file is missing or damaged, run: python3 verify.py",
    # the footer of every page: mkdocs.yml's copyright (this line, the starter course's, is
    # translated here; any other shows as written) and the theme's credit,
    # {name} standing for the theme's linked name
    "copyright": "Course text CC BY 4.0, code MIT.",
    "made_with": "Made with {name}",
}

#: count strings: key -> (singular msgid, the value that chooses the form); the SITE
#: text is their msgid_plural, and each locale picks its CLDR form (ngettext)
PLURALS: dict[str, tuple[str, str]] = {
    "minutes": ("{minutes} minute", "minutes"),
    "untranslated_count": (
        "{count} passage on this page is not yet translated and is shown in English.",
        "count",
    ),
    "filter_up_to": ("Up to {minutes} minute", "minutes"),
    "filter_count": ("{shown} of {total} module shown.", "total"),
}

#: UNESCO AI competency framework for students (2024): id -> (dimension, level).
COMPETENCIES = {
    "human-agency": ("Human-centred mindset", "Understand"),
    "human-accountability": ("Human-centred mindset", "Apply"),
    "citizenship": ("Human-centred mindset", "Create"),
    "embodied-ethics": ("Ethics of AI", "Understand"),
    "safe-responsible-use": ("Ethics of AI", "Apply"),
    "ethics-by-design": ("Ethics of AI", "Create"),
    "ai-foundations": ("AI techniques and applications", "Understand"),
    "application-skills": ("AI techniques and applications", "Apply"),
    "creating-ai-tools": ("AI techniques and applications", "Create"),
    "problem-scoping": ("AI system design", "Understand"),
    "architecture-design": ("AI system design", "Apply"),
    "iteration-feedback": ("AI system design", "Create"),
}

#: Material interface keys that an ailit site shows (the blog, comments, consent and
#: repository strings are never used here, so translators are not asked for them).
THEME_KEYS = (
    "action.skip",
    "clipboard.copy",
    "clipboard.copied",
    "footer",
    "footer.next",
    "footer.previous",
    "header",
    "nav",
    "search",
    "search.placeholder",
    "search.share",
    "search.reset",
    "search.result.initializer",
    "search.result.placeholder",
    "search.result.none",
    "search.result.one",
    "search.result.other",
    "search.result.more.one",
    "search.result.more.other",
    "search.result.term.missing",
    "select.language",
    "tabs",
    "toc",
    "top",
)

_MATERIAL_LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"
_PAIR = re.compile(r'^\s*"([\w.]+)":\s*"((?:[^"\\]|\\.)*)",?\s*$', re.M)


def theme_context(key: str) -> str:
    return f"{THEME_CONTEXT}:{key}"


@cache
def material_strings(code: str) -> dict[str, str]:
    """Material's own interface strings for a language, or {} when it has none."""
    candidates = [code.replace("_", "-").lower(), code.split("_")[0].split("-")[0].lower()]
    for name in candidates:
        path = _MATERIAL_LANGUAGES / f"{name}.html"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            return {k: json.loads(f'"{v}"') for k, v in _PAIR.findall(text)}
    return {}


def language_partial(code: str, direction: str, translated: dict[str, str]) -> str:
    """Material's ``partials/languages/<code>.html``, from site.po with fallbacks."""
    english = material_strings("en")
    own = material_strings(code)
    values: dict[str, str] = {}
    for key, text in english.items():
        values[key] = translated.get(key) or own.get(key) or text
    values["language"] = code.replace("_", "-")
    values["direction"] = direction
    if own:
        # Material's tested search settings for this language (lunr stemmer or none)
        for key in ("search.config.lang", "search.config.pipeline", "search.config.separator"):
            values[key] = own.get(key, english[key])
    else:
        # a language Material lacks: index whole words, no English stemming or stop words
        values["search.config.lang"] = "en"
        values["search.config.pipeline"] = ""
    body = ",\n".join(
        f"  {json.dumps(k)}: {json.dumps(_safe(k, v), ensure_ascii=False)}"
        for k, v in values.items()
    )
    return "{% macro t(key) %}{{ {\n" + body + "\n}[key] }}{% endmacro %}\n"


def _safe(key: str, value: str) -> str:
    """Escape interface strings: a translation must not add markup or Jinja to a template."""
    if key.startswith("search.config"):
        return value
    return html.escape(value, quote=True).replace("{", "&#123;").replace("}", "&#125;")
