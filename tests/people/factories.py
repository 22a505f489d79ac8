import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from people.models import Invitation, Membership, Role, Team, User, invitation_token_hash

TEST_PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    slug = factory.Sequence(lambda n: f"team-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    role = Role.VOLUNTEER


class InvitationFactory(factory.django.DjangoModelFactory):
    """``token`` is the raw token (not stored); the model keeps only its hash."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    team = factory.SubFactory(TeamFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.VOLUNTEER
    token = factory.Sequence(lambda n: f"token-{n}-abcdefghijklmnop")
    token_hash = factory.LazyAttribute(lambda o: invitation_token_hash(o.token))
    invited_by = None


def enrol_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def member(team, role, *, mfa=None, **user_kwargs):
    """A user holding ``role`` in ``team``; staff roles get a second factor unless told not."""
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, team=team, role=role)
    if mfa is None:
        mfa = role in (Role.COORDINATOR, Role.SUPERVISOR)
    if mfa:
        enrol_totp(user)
    return user


def sign_in(client, user, *, second_factor: bool | None = None):
    """Sign ``user`` in as a completed allauth login would leave the session: the password
    step, and the second-factor step when the user has an authenticator (or when
    ``second_factor`` says so). ``second_factor=False`` leaves a session that skipped it."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    client.force_login(user)
    if second_factor is None:
        second_factor = Authenticator.objects.filter(user=user).exists()
    records = [{"method": "password", "at": time.time(), "email": user.email}]
    if second_factor:
        records.append({"method": "mfa", "at": time.time(), "type": "totp"})
    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    return user
