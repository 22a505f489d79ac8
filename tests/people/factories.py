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
