"""Editors write courses and quizzes in the Wagtail admin; bad quiz content is refused."""

import pytest
from django.core.exceptions import ValidationError
from wagtail.blocks import StreamBlockValidationError, StructBlockValidationError

from courses.blocks import (
    MultipleResponseQuestionBlock,
    QuizQuestionsBlock,
    SingleChoiceQuestionBlock,
    VideoBlock,
)
from tests.courses.factories import add_module, make_course
from tests.people.factories import UserFactory, enrol_totp, sign_in

pytestmark = pytest.mark.django_db


def choices(*flags):
    block = SingleChoiceQuestionBlock().child_blocks["choices"]
    return block.to_python(
        [{"text": f"A{i}", "correct": flag, "feedback": ""} for i, flag in enumerate(flags)]
    )


@pytest.mark.parametrize(
    ("block", "flags", "valid"),
    [
        (SingleChoiceQuestionBlock(), (True, False, False), True),
        (SingleChoiceQuestionBlock(), (True, True, False), False),
        (SingleChoiceQuestionBlock(), (False, False), False),
        (MultipleResponseQuestionBlock(), (True, True, False), True),
        (MultipleResponseQuestionBlock(), (False, False, False), False),
    ],
)
def test_question_blocks_check_the_number_of_correct_answers(block, flags, valid):
    value = block.to_python({"prompt": "?", "choices": [], "explanation": ""})
    value["choices"] = choices(*flags)
    if valid:
        block.clean(value)
    else:
        with pytest.raises(StructBlockValidationError):
            block.clean(value)


def test_video_needs_a_file_or_a_link():
    block = VideoBlock()
    value = block.to_python(
        {"title": "Role play", "video_file": None, "link": "", "transcript": ""}
    )
    with pytest.raises(StructBlockValidationError):
        block.clean(value)


def test_questions_to_draw_cannot_exceed_the_pool():
    course = make_course(title="Pool check", modules=0)
    module = add_module(course, "Small pool", questions=2)
    module.questions_to_draw = 5
    with pytest.raises(ValidationError):
        module.full_clean()


def test_editor_opens_the_module_editor_with_its_quiz_tab(client):
    course = make_course(title="Editable", modules=1)
    module = course.get_children().first()
    editor = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(editor)
    sign_in(client, editor)
    response = client.get(f"/admin/pages/{module.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quiz settings" in html
    assert "Pass mark" in html
    response = client.get(f"/admin/pages/add/courses/modulepage/{course.pk}/")
    assert response.status_code == 200


def test_quiz_stream_accepts_every_question_type():
    block = QuizQuestionsBlock()
    assert set(block.child_blocks) == {"single", "multiple", "true_false", "scenario"}
    with pytest.raises(StreamBlockValidationError):
        bad = block.to_python(
            [
                {
                    "type": "single",
                    "value": {
                        "prompt": "?",
                        "choices": [
                            {
                                "type": "item",
                                "value": {"text": "x", "correct": False, "feedback": ""},
                            },
                            {
                                "type": "item",
                                "value": {"text": "y", "correct": False, "feedback": ""},
                            },
                        ],
                        "explanation": "",
                    },
                }
            ]
        )
        block.clean(bad)


def test_the_quiz_tab_puts_the_settings_before_the_questions(client):
    course = make_course(title="Ordered tab", modules=1)
    module = course.get_children().first()
    editor = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(editor)
    sign_in(client, editor)
    page = client.get(f"/admin/pages/{module.pk}/edit/").content.decode()
    assert page.index('name="pass_mark"') < page.index(
        'id="panel-child-quiz-quiz_questions-section"'
    )
    assert "always come from the original page" in page


def test_the_editor_lists_modules_in_course_order(client):
    course = make_course(title="In order", modules=0)
    for title in ("Zebra first", "Alpha second", "Middle third"):
        add_module(course, title, questions=0)
    editor = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(editor)
    sign_in(client, editor)
    page = client.get(f"/admin/pages/{course.pk}/").content.decode()
    positions = [page.index(title) for title in ("Zebra first", "Alpha second", "Middle third")]
    assert positions == sorted(positions)
