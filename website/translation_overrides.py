"""Strings of allauth that the project words better (see locale/STYLE.md).

Our catalogues come first (LOCALE_PATHS), so an entry there replaces allauth's own text. This
list keeps those message ids in our catalogues: ``make messages`` keeps only ids it finds in
the code, and finds them here. The texts themselves are in locale/<language>/LC_MESSAGES;
tests/website/test_translations.py checks that each one differs from allauth's."""

from django.utils.translation import gettext_noop, ngettext_lazy

SINGULAR = [
    gettext_noop("Account Already Exists"),
    gettext_noop("Account Inactive"),
    gettext_noop("Activate"),
    gettext_noop("Activate Authenticator App"),
    gettext_noop("Add Email"),
    gettext_noop("Add Email Address"),
    gettext_noop("Add Security Key"),
    gettext_noop("Added on %(created_at)s"),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("An authenticator app is not active."),
    gettext_noop("Are you sure you want to remove this security key?"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("Authenticator App"),
    gettext_noop("Authenticator app activated."),
    gettext_noop("Authenticator app deactivated."),
    gettext_noop("Authenticator code"),
    gettext_noop("Authenticator secret"),
    gettext_noop("Bad Token"),
    gettext_noop("Be patient, you are sending too many requests."),
    gettext_noop("Change Password"),
    gettext_noop("Confirm Access"),
    gettext_noop("Confirm Email Address"),
    gettext_noop("Confirmation email sent to %(email)s."),
    gettext_noop("Current Password"),
    gettext_noop("Deactivate"),
    gettext_noop("Deactivate Authenticator App"),
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop("Edit Security Key"),
    gettext_noop("Email"),
    gettext_noop("Email Addresses"),
    gettext_noop("Email address"),
    gettext_noop("Enter an authenticator code:"),
    gettext_noop("Forgot your password?"),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email allowing you to reset it."
    ),
    gettext_noop("Generate"),
    gettext_noop("Generate new codes"),
    gettext_noop("If it was you, you can sign up for an account using the link below."),
    gettext_noop("Key"),
    gettext_noop("Key nr. {number}"),
    gettext_noop("Last used %(last_used)s"),
    gettext_noop("Make Primary"),
    gettext_noop("New Password"),
    gettext_noop("New Password (again)"),
    gettext_noop("No security keys have been added."),
    gettext_noop("Note"),
    gettext_noop("Password Reset"),
    gettext_noop("Password Reset Email"),
    gettext_noop("Password successfully set."),
    gettext_noop("Please Confirm Your Email Address"),
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for user %(user_display)s.'
    ),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop("Please reauthenticate to safeguard your account."),
    gettext_noop("Please type your current password."),
    gettext_noop("Primary email address set."),
    gettext_noop("Re-send Verification"),
    gettext_noop("Recovery Codes"),
    gettext_noop("Remember Me"),
    gettext_noop("Remove Security Key"),
    gettext_noop("Removed email address %(email)s."),
    gettext_noop("Reset My Password"),
    gettext_noop("Security Keys"),
    gettext_noop("Security key"),
    gettext_noop("Security key added."),
    gettext_noop("Security key removed."),
    gettext_noop("Set Password"),
    gettext_noop("Sign In"),
    gettext_noop("Sign Out"),
    gettext_noop("Sign Up"),
    gettext_noop("Signup"),
    gettext_noop("Successfully signed in as %(name)s."),
    gettext_noop("Thank you for using %(site_name)s!\n%(site_domain)s"),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("The following email addresses are associated with your account:"),
    gettext_noop(
        'The password reset link was invalid, possibly because it has already been used.  Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    gettext_noop("This account is currently inactive."),
    gettext_noop("This account is inactive."),
    gettext_noop("This email address is already associated with this account."),
    gettext_noop(
        'This email confirmation link expired or is invalid. Please <a href="%(email_url)s">issue a new email confirmation request</a>.'
    ),
    gettext_noop("This functionality requires JavaScript."),
    gettext_noop("This key does not indicate whether it is a passkey."),
    gettext_noop("This mail can be safely ignored if you did not initiate this action."),
    gettext_noop(
        "To protect your account with two-factor authentication, scan the QR code below with your authenticator app. Then, input the verification code generated by the app below."
    ),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop(
        "Unable to confirm %(email)s because it is already confirmed by a different account."
    ),
    gettext_noop("Unknown Account"),
    gettext_noop("Unused codes"),
    gettext_noop("Unverified"),
    gettext_noop("Use authenticator app or code"),
    gettext_noop("Use your password"),
    gettext_noop("Verified"),
    gettext_noop("Verify Your Email Address"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize the signup process. If you do not see the verification email in your main inbox, check your spam folder. Please contact us if you do not receive the verification email within a few minutes."
    ),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop(
        "You are about to deactivate authenticator app based authentication. Are you sure?"
    ),
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
    gettext_noop("You are already logged in as %(user_display)s."),
    gettext_noop(
        "You are receiving this email because you or someone else tried to signup for an\naccount using email address:\n\n%(email)s\n\nHowever, an account using that email address already exists.  In case you have\nforgotten about this, please use the password forgotten procedure to recover\nyour account:\n\n%(password_reset_url)s"
    ),
    gettext_noop(
        "You are receiving this email because you, or someone else, tried to access an account with email %(email)s. However, we do not have any record of such an account in our database."
    ),
    gettext_noop(
        "You can store this secret and use it to reinstall your authenticator app at a later time."
    ),
    gettext_noop(
        "You cannot activate two-factor authentication until you have verified your email address."
    ),
    gettext_noop(
        "You cannot add an email address to an account protected by two-factor authentication."
    ),
    gettext_noop("You cannot deactivate two-factor authentication."),
    gettext_noop(
        "You cannot generate recovery codes without having two-factor authentication enabled."
    ),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email address so you can receive notifications, reset your password, etc."
    ),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("You have signed out."),
    gettext_noop("You must type the same password each time."),
    gettext_noop(
        "You're receiving this email because user %(user_display)s has given your email address to register an account on %(site_domain)s."
    ),
    gettext_noop(
        "You're receiving this email because you or someone else has requested a password reset for your user account.\nIt can be safely ignored if you did not request a password reset. Click the link below to reset your password."
    ),
    gettext_noop(
        "Your account is protected by two-factor authentication. Please enter an authenticator code:"
    ),
    gettext_noop("Your password is now changed."),
    gettext_noop("Your primary email address must be verified."),
]

PLURAL = [
    ngettext_lazy(
        "You have added %(count)s security key.", "You have added %(count)s security keys.", 1
    ),
    ngettext_lazy(
        "There is %(unused_count)s out of %(total_count)s recovery codes available.",
        "There are %(unused_count)s out of %(total_count)s recovery codes available.",
        1,
    ),
]
