"""Self-care resources are edited in the content admin (Snippets), per team and language."""

from wagtail.snippets.models import register_snippet

from .models import SelfCareResource

register_snippet(SelfCareResource)
