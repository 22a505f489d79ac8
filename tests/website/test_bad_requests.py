"""The bad requests found when the site was tried as an attacker would, each answered with a
clear page instead of a server error, and the smaller access rules around them."""

import pytest
from django.urls import reverse

from tests.courses.factories import make_course
from tests.people.factories import UserFactory, enrol_totp, sign_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/en/learning/modules/9223372036854775808/quiz/",
        "/en/learning/modules/9223372036854775808/read/",
        "/en/learning/modules/9223372036854775808/reflections/x/",
        "/en/learning/modules/0/quiz/",
        "/en/certificates/%00/",
        "/en/certificates/" + "A" * 200 + "/",
        "/en/invitations/%00/",
        "/en/teams/helpline/invitations/9223372036854775808/revoke/",
    ],
)
def test_ids_no_database_could_hold_and_nul_bytes_are_not_found(client, volunteer, path):
    sign_in(client, volunteer)
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404


@pytest.mark.parametrize("course", ["99999999999999999999999", "9223372036854775808", "-5", "x"])
def test_an_impossible_course_id_is_a_form_error(client, team, coordinator, course):
    make_course(title="Real", modules=0)
    sign_in(client, coordinator)
    response = client.post(
        reverse("courses:team_training", kwargs={"slug": team.slug}),
        {"course": course, "due_date": "2030-01-01"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_an_overlong_invitation_address_is_a_form_error(client, team, coordinator):
    sign_in(client, coordinator)
    response = client.post(
        reverse("people:invitation_list", kwargs={"slug": team.slug}),
        {"email": "a" * 250 + "@example.org", "role": "volunteer"},
    )
    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not team.invitations.exists()


@pytest.mark.parametrize("language", ["en", "lv", "ru"])
def test_opening_a_form_target_as_a_page_explains_itself(client, volunteer, language):
    sign_in(client, volunteer)
    response = client.get(f"/{language}/learning/modules/1/read/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert {
        "en": "only works from a button",
        "lv": "darbojas tikai",
        "ru": "работает только",
    }[language] in page
    assert client.get(reverse("language_switch")).status_code == 405


@pytest.mark.parametrize("role", ["volunteer", "supervisor", "coordinator"])
def test_signed_in_people_without_admin_rights_get_a_403_not_a_loop(client, role, request):
    sign_in(client, request.getfixturevalue(role))
    response = client.get("/admin/")
    assert response.status_code == 302
    final = client.get(response["Location"])
    assert final.status_code == 403
    assert "have access to this page" in final.content.decode()
    assert client.get("/admin/pages/", follow=True).status_code == 403
    assert client.get("/django-admin/", follow=True).status_code == 403


def test_signed_out_visitors_to_the_admin_go_to_the_one_login(client):
    response = client.get("/admin/pages/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    assert "next=/admin/pages/" in response.redirect_chain[-1][0].replace("%2F", "/")


def test_site_admin_with_second_factor_reaches_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    enrol_totp(admin)
    sign_in(client, admin)
    assert client.get("/admin/").status_code == 200


def test_personal_pages_are_not_kept_by_the_browser_after_logout(client, volunteer):
    sign_in(client, volunteer)
    for url in ("/en/", reverse("people:preferences"), reverse("courses:my_certificates")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
    client.post(reverse("account_logout"))
    assert "no-store" not in client.get("/en/").get("Cache-Control", "")
