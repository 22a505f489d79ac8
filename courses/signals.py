"""Keep the caches of course structure honest: any change to a module bumps its course's
``structure_version`` (in every language), and a change to a course index forgets the
remembered address of the "Courses" link."""

from django.core.cache import caches
from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import CourseIndexPage, CoursePage, ModulePage

COURSE_INDEX_URL_KEY = "courses:index-url:{language}"


def course_structure_changed(module_path: str) -> None:
    parent = (
        CoursePage.objects.filter(path=module_path[: -ModulePage.steplen])
        .values_list("translation_key", flat=True)
        .first()
    )
    if parent is not None:
        CoursePage.objects.filter(translation_key=parent).update(
            structure_version=F("structure_version") + 1
        )


@receiver(post_save, sender=ModulePage)
@receiver(post_delete, sender=ModulePage)
def module_saved_or_deleted(sender, instance, **kwargs):
    if instance.path:
        course_structure_changed(instance.path)


@receiver(page_published)
@receiver(page_unpublished)
def page_published_or_unpublished(sender, instance, **kwargs):
    if isinstance(instance, ModulePage):
        course_structure_changed(instance.path)
    if isinstance(instance, CourseIndexPage):
        course_index_url_forget()


@receiver(post_page_move)
def page_moved(sender, instance, parent_page_before=None, **kwargs):
    """A module moved leaves one course and joins another (or changes place in its own); a
    course or an index moved changes addresses."""
    if issubclass(sender, ModulePage):
        course_structure_changed(instance.path)
        if parent_page_before is not None:
            CoursePage.objects.filter(translation_key=parent_page_before.translation_key).update(
                structure_version=F("structure_version") + 1
            )
    course_index_url_forget()


def course_index_url_forget() -> None:
    from django.conf import settings

    caches["local"].delete_many(
        [COURSE_INDEX_URL_KEY.format(language=code) for code, _name in settings.LANGUAGES]
    )
