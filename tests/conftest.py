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
    """Caches and the process's memories outlive a test's database rollback: rate-limit
    counters, used TOTP codes, Wagtail's site root paths, remembered course structures and
    page addresses must not leak from one test into the next."""
    from django.core.cache import caches

    from courses.selectors.progress import structures_forget
    from website.routing import routes_forget

    def forget_everything():
        for cache in caches.all(initialized_only=False):
            cache.clear()
        structures_forget()
        routes_forget()

    forget_everything()
    yield
    forget_everything()


@pytest.fixture
def site_db(transactional_db):
    """Tests with committed data (a live server, threads) flush the database afterwards,
    taking what the migrations created with it. Put the site's skeleton back first."""
    from wagtail.models import Locale, Page, Site

    from website.models import HomePage

    english = None
    for code in ("en", "lv", "ru"):
        locale, _created = Locale.objects.get_or_create(language_code=code)
        english = english or locale
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=english)
    )
    home = HomePage.objects.filter(depth=2, locale=english).first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Atbalsts", slug="home", locale=english))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": home, "site_name": "Atbalsts"},
    )
    yield
    append_only_tables_clear()


APPEND_ONLY = [
    ("wellbeing.migrations.0002_access_record_append_only", "wellbeing_accessrecord"),
    ("people.migrations.0005_audit_trail_append_only", "people_auditentry"),
]


def append_only_tables_clear():
    """The flush after a test with committed data deletes every row, but the database keeps
    the wellbeing access record and the audit trail append-only: lift their triggers for a
    moment, empty them, put the triggers back (as the migrations made them) for the next
    test."""
    import importlib

    from django.db import connection

    vendor = connection.vendor
    with connection.cursor() as cursor:
        for module, table in APPEND_ONLY:
            guard = importlib.import_module(module)
            drop = {"sqlite": guard.SQLITE_REVERSE, "postgresql": guard.POSTGRESQL_REVERSE}
            create = {"sqlite": guard.SQLITE, "postgresql": guard.POSTGRESQL}
            if vendor not in drop:
                continue
            for statement in drop[vendor]:
                cursor.execute(statement)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - a fixed table name
            for statement in create[vendor]:
                cursor.execute(statement)
