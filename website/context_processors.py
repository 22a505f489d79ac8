from django.utils.functional import SimpleLazyObject


def navigation(request):
    """Links the header needs; evaluated only when a template uses them."""

    def course_index_url():
        from courses.selectors import course_index_for_language

        index = getattr(request, "course_index", None) or course_index_for_language()
        # With the request, Wagtail remembers the site's root paths for the rest of it.
        return index.get_url(request=request) if index else ""

    return {"course_index_url": SimpleLazyObject(course_index_url)}
