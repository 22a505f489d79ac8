"""Forget remembered page addresses (website/routing.py) when pages or sites change."""

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .routing import routes_forget


def signals_connect() -> None:
    for signal in (page_published, page_unpublished, post_page_move, page_slug_changed):
        signal.connect(routes_forget, dispatch_uid=f"routes_forget_{id(signal)}")
    for signal in (post_save, post_delete):
        signal.connect(routes_forget, sender=Site, dispatch_uid=f"routes_forget_site_{id(signal)}")
    # Deleting a page of any type: post_delete is sent for its specific class too.
    post_delete.connect(routes_forget, sender=Page, dispatch_uid="routes_forget_base_page")
