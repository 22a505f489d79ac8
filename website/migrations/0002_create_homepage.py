"""Replace Wagtail's default welcome page with the Atbalsts home page, and add the content
locales (en, lv, ru)."""

from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("website.HomePage")

    for code in ("en", "lv", "ru"):
        Locale.objects.get_or_create(language_code=code)
    english = Locale.objects.get(language_code="en")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    homepage_content_type, _created = ContentType.objects.get_or_create(
        model="homepage", app_label="website"
    )
    homepage = HomePage.objects.create(
        title="Atbalsts",
        draft_title="Atbalsts",
        slug="home",
        content_type=homepage_content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=english,
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "root_page": homepage, "site_name": "Atbalsts"},
    )


def remove_homepage(apps, schema_editor):
    apps.get_model("website.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("website", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
