"""Authors: `ailit new` scaffolds every convention; `check` reports what is unwritten."""

from __future__ import annotations

from pathlib import Path

import yaml

from ailit.model.course import load_course
from conftest import ailit


def test_new_course_and_module_are_listed_and_reported_until_written(demo: Path) -> None:
    ailit("--project", str(demo), "new", "course", "my-course", check=True)
    ailit("--project", str(demo), "new", "module", "my-course", "What is AI, really?", check=True)
    module = demo / "courses" / "my-course" / "01-what-is-ai-really.md"
    text = module.read_text(encoding="utf-8")
    for part in (":::{objectives}", ":::{unplugged}", "::::{quiz}", "::::{teacher-guide}", "_("):
        assert part in text
    course = yaml.safe_load((demo / "courses" / "my-course" / "course.yml").read_text("utf-8"))
    assert course["modules"] == ["01-what-is-ai-really"]
    result = ailit("--project", str(demo), "check")
    assert result.returncode == 1
    assert "course.yml:1: error: [unwritten] course field 'title'" in result.stderr
    assert "01-what-is-ai-really.md:22: error: [unwritten] learning objective" in result.stderr
    assert "[unwritten] quiz feedback" in result.stderr
    # a half-written module can still be previewed
    ailit("--project", str(demo), "build", "--locale", "en", check=True)


def test_new_module_keeps_comments_in_course_yml(demo: Path) -> None:
    yml = demo / "courses" / "demo" / "course.yml"
    yml.write_text(
        yml.read_text("utf-8").replace("modules:", "# the order of lessons\nmodules:"), "utf-8"
    )
    ailit("--project", str(demo), "new", "module", "demo", "Extra practice", check=True)
    text = yml.read_text("utf-8")
    assert "# the order of lessons" in text
    assert text.rstrip().endswith("- 03-extra-practice")


def test_a_course_can_reuse_modules_of_another_and_their_translations(demo: Path) -> None:
    folder = demo / "courses" / "short"
    folder.mkdir()
    (folder / "course.yml").write_text(
        "title: Short course\nsummary: Only the first steps.\naudience: Busy teachers.\n"
        "level: beginner\nduration: 20\nmodules:\n  - ../demo/01-first-steps\n",
        encoding="utf-8",
    )
    course = load_course(folder)
    assert course.modules[0].course == "demo"  # referenced, not copied
    ailit("--project", str(demo), "extract", check=True)
    ailit("--project", str(demo), "update", check=True)
    ailit("--project", str(demo), "build", "--locale", "fr", check=True)
    page = (demo / "build" / "site" / "fr" / "short" / "01-first-steps.html").read_text("utf-8")
    assert "Premiers pas avec un robot" in page


def test_image_without_alt_text_fails_the_check(demo: Path) -> None:
    module = demo / "courses" / "demo" / "01-first-steps.md"
    text = module.read_text("utf-8").replace("![A blue robot with two round eyes]", "![]")
    module.write_text(text, "utf-8")
    result = ailit("--project", str(demo), "check")
    assert result.returncode == 1
    assert "[alt-text] image 'images/robot.svg' has no alt text" in result.stderr


def test_the_starter_course_has_every_part() -> None:
    root = Path(__file__).parent.parent
    result = ailit("--project", str(root), "check")
    assert "[parts]" not in result.stdout + result.stderr
    assert "[unwritten]" not in result.stdout + result.stderr
