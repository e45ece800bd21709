"""Thin adapters from DRF to the `rules` permissions (profiles/matchmaking/events rules.py): no rule is
written here, each class only names which permission an action needs and calls `user.has_perm`."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class RulesPermission(BasePermission):
    """Checks `view.action_perms[action]` (no object) and `view.object_perms[action]` (on the object).

    An action missing from a map needs nothing at that level; "*" names the default for other actions.
    """

    @staticmethod
    def _perm(mapping, view):
        mapping = mapping or {}
        return mapping.get(view.action or "", mapping.get("*"))

    def has_permission(self, request, view):
        perm = self._perm(getattr(view, "action_perms", None), view)
        return perm is None or request.user.has_perm(perm)

    def has_object_permission(self, request, view, obj):
        perm = self._perm(getattr(view, "object_perms", None), view)
        return perm is None or request.user.has_perm(perm, obj)


class ReadOnly(BasePermission):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS
