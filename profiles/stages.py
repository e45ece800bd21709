"""Sign-in stages adapted to phone-only accounts."""

from allauth.account.stages import EmailVerificationStage as AllauthEmailVerificationStage


class EmailVerificationStage(AllauthEmailVerificationStage):
    """E-mail verification as allauth does it, except for accounts that have no e-mail address at all:
    those signed up with a phone number, which the phone verification stage has verified instead."""

    def handle(self):
        user = self.login.user
        if user is not None and not user.email and getattr(user, "phone_verified", False):
            return None, True
        return super().handle()
