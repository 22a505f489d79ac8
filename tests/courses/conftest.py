import pytest

from tests.courses.factories import make_course, modules_of


@pytest.fixture
def course(db):
    return make_course(title="First aid", modules=3, questions_per_module=3, validity_months=12)


@pytest.fixture
def modules(course):
    return modules_of(course)
