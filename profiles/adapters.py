"""Glue between django-allauth / django-axes and our user model."""

from allauth.account.adapter import DefaultAccountAdapter


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


def axes_username(request, credentials: dict | None) -> str | None:
    """The identifier axes counts failures against: allauth passes `email`, the admin `username`."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None:
        value = request.POST.get("login") or request.POST.get("username")
    return value.strip().lower() if isinstance(value, str) else value
