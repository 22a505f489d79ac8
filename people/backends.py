"""The authentication backend: allauth's (login by e-mail), loading the signed-in person
together with their second-factor status, so that the rule every request checks
(``people.middleware.SecondFactorMiddleware``) costs no query of its own."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend

from .models import User


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        user = User.objects.with_second_factor().filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
