"""Who may see which course, and the documents courses use."""

from django.db.models import Q

from ..models import CoursePage, ModulePage


def document_is_visible_to(*, document, user) -> bool:
    """A document used by course pages (a module's video, say) is visible to whoever may see
    one of those courses; a document no course uses, to anyone signed in. Editors (anyone
    who may enter the Wagtail admin) see every document."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    if not user.is_authenticated:
        return False
    if user.is_superuser or user.has_perm("wagtailadmin.access_admin"):
        return True
    page_ids = [
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    ]
    if not page_ids:
        return True
    module_parent_paths = [
        path[: -ModulePage.steplen]
        for path in ModulePage.objects.filter(pk__in=page_ids).values_list("path", flat=True)
    ]
    courses = list(CoursePage.objects.filter(Q(pk__in=page_ids) | Q(path__in=module_parent_paths)))
    if not courses:
        return True
    return any(course.is_visible_to(user) for course in courses)
