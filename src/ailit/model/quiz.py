"""A quiz as data: questions, their answers marked right or wrong, and each answer's feedback.

Read once from the markdown tokens of a ``{quiz}`` body; the page, the handout and the
teacher guide all show this model. Texts stay markdown (inline for questions and answers,
block markdown for feedback), so each output renders them its own way.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass, field

from markdown_it.token import Token

from ailit.model.directives import body_roles

_TASK = re.compile(r"\[([ xX])\]\s+")


#: Answer letters by language, in the order a school's exam papers of that language use:
#: Arabic in abjad order (أ ب ج د), Chinese the capitals its exams print, else a b c.
_LETTERS: dict[str, tuple[str, ...]] = {
    "ar": ("أ", "ب", "ج", "د", "هـ", "و", "ز", "ح", "ط", "ي", "ك", "ل", "م", "ن",
           "س", "ع", "ف", "ص", "ق", "ر", "ش", "ت", "ث", "خ", "ذ", "ض", "ظ", "غ"),
    "zh": tuple(string.ascii_uppercase),
}  # fmt: skip
_LATIN = tuple(string.ascii_lowercase)


def answer_letter(index: int, language: str) -> str:
    """The letter of the answer at ``index`` (from 0) as readers of ``language`` expect it,
    so that a page, a handout and a teacher guide can all say "1 b" (or "1 ب")."""
    letters = _LETTERS.get(language.replace("-", "_").split("_")[0], _LATIN)
    return letters[index] if index < len(letters) else str(index + 1)


@dataclass(frozen=True)
class Answer:
    """One answer: its inline markdown, whether it is right, and why (block markdown)."""

    text: str
    correct: bool
    feedback: str = ""
    letter: str = ""  # A, B, C... in the order written


@dataclass(frozen=True)
class Question:
    """One question: its inline markdown and its answers, numbered from 1."""

    number: int
    text: str
    answers: tuple[Answer, ...] = ()


@dataclass(frozen=True)
class Quiz:
    """The questions of one quiz, in order."""

    questions: tuple[Question, ...] = ()


@dataclass
class _DraftAnswer:
    text: list[str] = field(default_factory=list)
    correct: bool = False
    feedback: list[str] = field(default_factory=list)


@dataclass
class _DraftQuestion:
    text: list[str] = field(default_factory=list)
    answers: list[_DraftAnswer] = field(default_factory=list)


def read_quiz(tokens: Sequence[Token], source: str) -> Quiz:
    """The quiz whose body ``source`` markdown-it parsed into ``tokens``.

    A question is an item of the body's list, an answer an item of the list inside it
    (``[x]`` marks it right), feedback a block quote under an answer.
    """
    lines = source.splitlines()
    drafts: list[_DraftQuestion] = []
    containers: list[str] = []
    for token in tokens:
        if token.nesting == 1:
            containers.append(token.type)
        elif token.nesting == -1:
            containers.pop()
        roles = body_roles(containers)
        if token.type == "list_item_open" and roles == ("item",):
            drafts.append(_DraftQuestion())
        elif token.type == "list_item_open" and roles == ("subitem", "item") and drafts:
            if _depth(containers) == 2:
                drafts[-1].answers.append(_DraftAnswer())
        elif token.type == "blockquote_open" and containers.count("blockquote_open") == 1:
            if drafts and drafts[-1].answers and token.map:
                drafts[-1].answers[-1].feedback.append(_unquote(lines, *token.map))
        elif token.type == "inline" and "quote" not in roles and drafts:
            _add_text(drafts[-1], _depth(containers), token.content)
    return Quiz(tuple(_question(n, d) for n, d in enumerate(drafts, start=1)))


def _depth(containers: list[str]) -> int:
    return sum(1 for c in containers if c.endswith("_list_open"))


def _add_text(draft: _DraftQuestion, depth: int, text: str) -> None:
    """An inline block goes to the question (first list level) or its latest answer (second)."""
    if depth == 2 and draft.answers:
        answer = draft.answers[-1]
        task = _TASK.match(text)
        if task and not answer.text:
            answer.correct = task.group(1).lower() == "x"
            text = text[task.end() :]
        answer.text.append(text)
    elif depth == 1:
        draft.text.append(text)


def _unquote(lines: list[str], start: int, end: int) -> str:
    """A block quote's lines without their indentation and ``>`` marker: the markdown it holds."""
    return "\n".join(re.sub(r"^[ \t]*(?:>[ \t]?)?", "", line) for line in lines[start:end])


def _question(number: int, draft: _DraftQuestion) -> Question:
    answers = tuple(
        Answer(
            "\n".join(a.text),
            a.correct,
            "\n\n".join(a.feedback),
            string.ascii_uppercase[i] if i < len(string.ascii_uppercase) else "",
        )
        for i, a in enumerate(draft.answers)
    )
    return Question(number, "\n".join(draft.text), answers)
