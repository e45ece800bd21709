"""Glue between django-allauth / django-axes and our user model."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils import translation
from django.utils.translation import gettext as _

from ikmportal.sms import send_sms

from .phones import normalise_phone


class AccountAdapter(DefaultAccountAdapter):
    """Self sign-up creates IKM owners; buyer staff and Dinas accounts are made by an administrator."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.role = "ikm_owner"
        if request is not None and getattr(request, "LANGUAGE_CODE", None):
            user.language = request.LANGUAGE_CODE
        if commit:
            user.save()
        return user

    def get_login_stages(self) -> list[str]:
        return [("profiles.stages.EmailVerificationStage" if path == "allauth.account.stages.EmailVerificationStage"
                 else path) for path in super().get_login_stages()]

    # Phone numbers: IKM owners may sign up and sign in with a phone number instead of an e-mail address.
    def clean_phone(self, phone: str) -> str:
        try:
            return normalise_phone(phone)
        except ValueError:
            raise forms.ValidationError(_("Enter an Indonesian phone number, e.g. 0812 3456 7890.")) from None

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone, user.phone_verified = phone, verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        # The phone is a sign-in identity only for phone accounts (no e-mail) or once verified; for an
        # e-mail account it is contact data that need not be verified at every sign-in.
        if user.phone and (not user.email or user.phone_verified):
            return user.phone, user.phone_verified
        return None

    def set_phone_verified(self, user, phone: str) -> None:
        user.phone, user.phone_verified = phone, True
        user.save(update_fields=["phone", "phone_verified"])

    def phone_form_field(self, **kwargs):
        from .forms import PhoneField

        kwargs.setdefault("max_length", 30)
        return PhoneField(**kwargs)

    def get_user_by_phone(self, phone: str):
        from .models import User

        try:
            phone = normalise_phone(phone)  # sign-in passes the number as typed: 0812 3456 7899
        except ValueError:
            return None
        return User.objects.filter(phone=phone).order_by("pk").first()

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        with translation.override(getattr(user, "language", None) or "id"):
            send_sms(phone, _("Your ikmportal verification code: %(code)s") % {"code": code})


def axes_username(request, credentials: dict | None) -> str | None:
    """The identifier axes counts failures against: allauth passes `email`, the admin `username`."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        value = request.POST.get("login") or request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else value
