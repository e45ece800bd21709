"""The sign-in backend: allauth's (e-mail or phone and password), with Django's permission tables kept
for staff only. Everyone's permissions come from `rules` (profiles/rules.py and the apps' rules.py); without
this, each permission `rules` denies would make Django load the user's table permissions, two queries on
every page that shows the navigation."""

from allauth.account.auth_backends import AuthenticationBackend


class AccountBackend(AuthenticationBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_staff and super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_staff and super().has_module_perms(user_obj, app_label)
