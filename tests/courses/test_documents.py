"""Course documents (self-hosted videos) are private: served by Django to signed-in people,
and a team-only course's documents only to its teams."""

import pytest
from django.core.files.base import ContentFile
from django.test import RequestFactory, override_settings
from wagtail.documents import get_document_model

from people.models import Role
from tests.courses.factories import add_module, make_course, qid
from tests.people.factories import TeamFactory, UserFactory, enrol_totp, member, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    """Documents are streamed from disk, as in production."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def document(title="Calming breath") -> object:
    doc = get_document_model()(title=title)
    doc.file.save("calming-breath.mp4", ContentFile(b"\x00\x00\x00\x18ftypmp42 video"))
    doc.save()
    return doc


def use_in_module(doc, course, title="Video module"):
    return add_module(
        course,
        title,
        questions=0,
        body=[
            {
                "type": "video",
                "id": qid(f"{title}-video"),
                "value": {"title": "Breathing", "video_file": doc.pk, "link": "", "transcript": ""},
            }
        ],
    )


def test_documents_are_served_by_django_not_the_web_server(settings):
    assert settings.WAGTAILDOCS_SERVE_METHOD == "serve_view"


def test_signed_out_visitors_are_sent_to_log_in(client):
    doc = document()
    response = client.get(doc.url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_document_no_course_uses_is_for_anyone_signed_in(client, volunteer):
    doc = document()
    sign_in(client, volunteer)
    response = client.get(doc.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x00\x00\x00\x18ftypmp42 video"
    assert "private" in response["Cache-Control"]


def test_a_team_only_courses_video_is_only_for_its_teams(client, team, volunteer):
    other_team = TeamFactory()
    stranger = member(other_team, Role.VOLUNTEER)
    doc = document()
    course = make_course(title="Team only", modules=0, visibility="teams", teams=[team])
    use_in_module(doc, course)
    sign_in(client, volunteer)
    assert client.get(doc.url).status_code == 200
    sign_in(client, stranger)
    assert client.get(doc.url).status_code == 404
    admin = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(admin)
    sign_in(client, admin)
    assert client.get(doc.url).status_code == 200


def test_a_video_used_by_a_course_for_everyone_is_for_everyone_signed_in(client, outsider):
    doc = document()
    use_in_module(doc, make_course(title="Open course", modules=0))
    sign_in(client, outsider)
    assert client.get(doc.url).status_code == 200


@override_settings(DEBUG=True)
@pytest.mark.parametrize(
    "path",
    ["documents/calming-breath.mp4", "./documents/calming-breath.mp4", "x/../documents/a.mp4"],
)
def test_development_media_never_serves_documents(path, settings, tmp_path):
    from django.http import Http404

    from website.views import development_media

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "calming-breath.mp4").write_bytes(b"video")
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "photo.jpg").write_bytes(b"jpeg")
    request = RequestFactory().get("/media/" + path)
    with pytest.raises(Http404):
        development_media(request, path)
    assert development_media(RequestFactory().get("/"), "images/photo.jpg").status_code == 200
