import pytest

from people.models import Role
from tests.people.factories import TeamFactory, member


@pytest.fixture
def team(db):
    return TeamFactory(name="Helpline", slug="helpline")


@pytest.fixture
def coordinator(team):
    return member(team, Role.COORDINATOR, display_name="Coordinator")


@pytest.fixture
def supervisor(team):
    return member(team, Role.SUPERVISOR, display_name="Supervisor")


@pytest.fixture
def volunteer(team):
    return member(team, Role.VOLUNTEER, display_name="Volunteer")


@pytest.fixture
def outsider(db):
    from tests.people.factories import UserFactory

    return UserFactory(display_name="Outsider")


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English; a request handled in another language must not leak."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """The cache outlives a test's database rollback: rate-limit counters, used TOTP codes and
    Wagtail's site root paths must not leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
