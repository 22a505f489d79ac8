"""Build course trees for tests: an index under the home page, a course, its modules, and
quiz questions as StreamField data with known ids."""

import uuid

from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, ModulePage
from website.models import HomePage


def qid(label: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, label))


def single(label, correct=0, n=3, kind="single", caller_says=None):
    value = {
        "prompt": f"Prompt {label}",
        "choices": [
            {
                "type": "item",
                "id": qid(f"{label}-c{i}"),
                "value": {
                    "text": f"Answer {label}-{i}",
                    "correct": i == correct,
                    "feedback": f"Feedback {label}-{i}",
                },
            }
            for i in range(n)
        ],
        "explanation": f"Explanation {label}",
    }
    if kind == "scenario":
        value["caller_says"] = caller_says or f"Caller words {label}"
    return {"type": kind, "id": qid(label), "value": value}


def multiple(label, correct=(0, 1), n=4):
    block = single(label, n=n)
    block["type"] = "multiple"
    for i, item in enumerate(block["value"]["choices"]):
        item["value"]["correct"] = i in correct
    return block


def true_false(label, answer=True):
    return {
        "type": "true_false",
        "id": qid(label),
        "value": {
            "prompt": f"Statement {label}",
            "answer": answer,
            "feedback_true": f"Feedback {label}-true",
            "feedback_false": f"Feedback {label}-false",
            "explanation": f"Explanation {label}",
        },
    }


def publish(page):
    page.save_revision().publish()
    return page


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.get(depth=2)
        index = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
        publish(index)
    return index


def make_course(title="First aid", modules=2, questions_per_module=2, **fields) -> CoursePage:
    index = course_index()
    slug = fields.pop("slug", title.lower().replace(" ", "-"))
    teams = fields.pop("teams", [])
    course = index.add_child(
        instance=CoursePage(title=title, slug=slug, summary=f"About {title}", **fields)
    )
    if teams:
        course.teams.set(teams)
        course.save()
    publish(course)
    for m in range(modules):
        add_module(course, f"Module {m + 1}", questions=questions_per_module)
    return CoursePage.objects.get(pk=course.pk)


def add_module(course, title, questions=2, **fields) -> ModulePage:
    label = f"{course.slug}-{title}"
    quiz = [single(f"{label}-q{i}") for i in range(questions)]
    body = fields.pop(
        "body",
        [
            {"type": "text", "value": f"<p>Body of {title}</p>", "id": qid(f"{label}-b")},
            {
                "type": "reflection",
                "value": {"prompt": "How did it feel?"},
                "id": qid(f"{label}-r"),
            },
        ],
    )
    module = course.add_child(
        instance=ModulePage(
            title=title,
            slug=title.lower().replace(" ", "-"),
            body=body,
            quiz_questions=quiz,
            **fields,
        )
    )
    return publish(module)


def modules_of(course) -> list[ModulePage]:
    return list(ModulePage.objects.child_of(course).order_by("path"))


def correct_answers(module: ModulePage) -> dict[str, list[str]]:
    return {q.id: sorted(q.correct_ids) for q in module.questions()}


def wrong_answers(module: ModulePage) -> dict[str, list[str]]:
    answers = {}
    for q in module.questions():
        wrong = [c.id for c in q.choices if not c.correct]
        answers[q.id] = wrong[:1]
    return answers


__all__ = ["Page"]


def translate(page, language: str, **fields):
    """The page's translation into ``language`` (as an editor makes it with Translate),
    with ``fields`` changed, published."""
    from wagtail.models import Locale

    locale = Locale.objects.get(language_code=language)
    existing = page.get_translation_or_none(locale)
    copy = existing.specific if existing else page.copy_for_translation(locale)
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    publish(copy)
    return type(page).objects.get(pk=copy.pk)


def translate_tree(course, language: str, *, modules=True):
    """The course's index, the course and (unless ``modules`` is False) its modules in
    ``language``, each title suffixed with the language code."""
    index = course.get_parent().specific
    translate(index.get_parent().specific, language) if language != "en" else None
    translate(index, language)
    translated = translate(course, language, title=f"{course.title} ({language})")
    if modules:
        for module in modules_of(course):
            translate(module, language, title=f"{module.title} ({language})")
    return translated


def edit_quiz(module, mutate):
    """An editor changes a module's quiz in the admin and publishes: ``mutate(raw)`` edits
    the StreamField's raw data (a list of question dicts)."""
    raw = [dict(block) for block in module.quiz_questions.raw_data]
    mutate(raw)
    module.quiz_questions = raw
    module.save()
    publish(module)
    return type(module).objects.get(pk=module.pk)
