from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def adopt_user_language_on_login(sender, request, user, **kwargs):
    if request is not None:
        request.atbalsts_adopt_user_language = True
