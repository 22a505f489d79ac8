"""Demo courses for local trying-out, built from the JSON files in ``demo_content/``.

English pages are the originals; Latvian and Russian translations are created with the same
block ids, so answers and progress carry over between languages (and the quiz key, pass mark
and settings always come from the English original)."""

import json
import uuid
from pathlib import Path

from django.db import transaction
from wagtail.models import Locale

from website.models import HomePage

from .models import CourseIndexPage, CoursePage, ModulePage, RefresherMode

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
DEMO_FILES = ["psychological_first_aid.json", "active_listening.json"]
INDEX_TITLES = {"en": "Courses", "lv": "Kursi", "ru": "Курсы"}
NAMESPACE = uuid.UUID("6f1d7a52-4b8e-4e7a-9d1c-2a9e5c0b7f10")


def stable_id(*parts) -> str:
    """The same block id in every language, so a Latvian answer grades like an English one."""
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def text(value, language):
    if isinstance(value, dict):
        return value.get(language) or value.get("en") or ""
    return value or ""


def body_stream(module: dict, language: str, prefix: str) -> list[dict]:
    blocks = []
    for index, block in enumerate(module["body"]):
        block_id = stable_id(prefix, "body", index)
        kind = block["type"]
        if kind == "text":
            value = text(block["value"], language)
        elif kind == "callout":
            value = {"kind": block.get("kind", "tip"), "text": text(block["value"], language)}
        elif kind == "phrases":
            value = {
                "pairs": [
                    {
                        "type": "item",
                        "id": stable_id(prefix, "body", index, n),
                        "value": {
                            "say": text(pair["say"], language),
                            "avoid": text(pair["avoid"], language),
                            "why": text(pair.get("why"), language),
                        },
                    }
                    for n, pair in enumerate(block["items"])
                ]
            }
        elif kind == "dialogue":
            value = {
                "title": text(block.get("title"), language),
                "lines": [
                    {
                        "type": "item",
                        "id": stable_id(prefix, "body", index, n),
                        "value": {"speaker": line["speaker"], "text": text(line["text"], language)},
                    }
                    for n, line in enumerate(block["lines"])
                ],
            }
        elif kind == "reflection":
            value = {"prompt": text(block["prompt"], language)}
        else:
            raise ValueError(f"Unknown demo block type {kind!r}")
        blocks.append({"type": kind, "value": value, "id": block_id})
    return blocks


def quiz_stream(module: dict, language: str, prefix: str) -> list[dict]:
    questions = []
    for index, question in enumerate(module["quiz"]["questions"]):
        kind = question["type"]
        question_id = stable_id(prefix, "quiz", index)
        if kind == "true_false":
            true_choice = next(c for c in question["choices"] if c["text"]["en"].lower() == "true")
            false_choice = next(
                c for c in question["choices"] if c["text"]["en"].lower() == "false"
            )
            value = {
                "prompt": text(question["prompt"], language),
                "answer": bool(true_choice["correct"]),
                "feedback_true": text(true_choice.get("feedback"), language),
                "feedback_false": text(false_choice.get("feedback"), language),
                "explanation": text(question.get("explanation"), language),
            }
        else:
            value = {
                "prompt": text(question["prompt"], language),
                "choices": [
                    {
                        "type": "item",
                        "id": stable_id(prefix, "quiz", index, n),
                        "value": {
                            "text": text(choice["text"], language),
                            "correct": bool(choice["correct"]),
                            "feedback": text(choice.get("feedback"), language),
                        },
                    }
                    for n, choice in enumerate(question["choices"])
                ],
                "explanation": text(question.get("explanation"), language),
            }
            if kind == "scenario":
                value["caller_says"] = text(question.get("caller_says"), language)
        questions.append({"type": kind, "value": value, "id": question_id})
    return questions


def publish(page):
    page.save_revision().publish()
    return page


def translated(page, locale, **fields):
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        return existing.specific
    copy = page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    return publish(copy)


def course_index_ensure() -> CourseIndexPage:
    index = CourseIndexPage.objects.filter(locale__language_code="en").first()
    if index is None:
        home = HomePage.objects.get(locale__language_code="en", depth=2)
        index = home.add_child(instance=CourseIndexPage(title=INDEX_TITLES["en"], slug="courses"))
        publish(index)
    for code in ("lv", "ru"):
        home = HomePage.objects.get(locale__language_code="en", depth=2)
        if home.get_translation_or_none(Locale.objects.get(language_code=code)) is None:
            continue
        translated(
            index, Locale.objects.get(language_code=code), title=INDEX_TITLES[code], slug="courses"
        )
    return index


def course_seed(index: CourseIndexPage, data: dict) -> CoursePage:
    slug = data["slug"]
    course = CoursePage.objects.child_of(index).filter(slug=slug).first()
    if course is None:
        course = index.add_child(
            instance=CoursePage(
                title=text(data["title"], "en"),
                slug=slug,
                summary=text(data["summary"], "en"),
                learning_outcomes=[("outcome", text(o, "en")) for o in data["learning_outcomes"]],
                audience=text(data["audience"], "en"),
                estimated_minutes=data["estimated_minutes"],
                validity_months=data.get("validity_months"),
                refresher_mode=data.get("refresher", RefresherMode.FULL_COURSE),
            )
        )
        publish(course)
        for module in data["modules"]:
            prefix = f"{slug}/{module['slug']}"
            quiz = module.get("quiz") or {}
            page = course.add_child(
                instance=ModulePage(
                    title=text(module["title"], "en"),
                    slug=module["slug"],
                    intro=text(module.get("intro"), "en"),
                    estimated_minutes=module.get("estimated_minutes", 10),
                    body=body_stream(module, "en", prefix),
                    quiz_questions=quiz_stream(module, "en", prefix) if quiz else [],
                    pass_mark=quiz.get("pass_mark", 70),
                    attempts_allowed=quiz.get("attempts_allowed"),
                    shuffle_choices=True,
                )
            )
            publish(page)
    for code in ("lv", "ru"):
        locale = Locale.objects.get(language_code=code)
        if index.get_translation_or_none(locale) is None:
            continue
        translated(
            course,
            locale,
            title=text(data["title"], code),
            summary=text(data["summary"], code),
            learning_outcomes=[("outcome", text(o, code)) for o in data["learning_outcomes"]],
            audience=text(data["audience"], code),
        )
    for code in ("lv", "ru"):
        locale = Locale.objects.get(language_code=code)
        if course.get_translation_or_none(locale) is None:
            continue
        for module in data["modules"]:
            prefix = f"{slug}/{module['slug']}"
            page = ModulePage.objects.child_of(course).get(slug=module["slug"])
            quiz = module.get("quiz") or {}
            translated(
                page,
                locale,
                title=text(module["title"], code),
                intro=text(module.get("intro"), code),
                body=body_stream(module, code, prefix),
                quiz_questions=quiz_stream(module, code, prefix) if quiz else [],
            )
    return course


@transaction.atomic
def demo_courses_seed() -> list[CoursePage]:
    index = course_index_ensure()
    courses = []
    for name in DEMO_FILES:
        data = json.loads((CONTENT_DIR / name).read_text(encoding="utf-8"))
        courses.append(course_seed(index, data))
    return courses
