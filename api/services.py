"""Creating and revoking API tokens."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profiles.models import User

from .models import ApiToken, key_hash

KEY_PREFIX = "ikm_"
#: How often a token's `last_used_at` is written: not on every request.
LAST_USED_RESOLUTION_SECONDS = 60
MAX_ACTIVE_TOKENS = 20


class ApiTokenError(Exception):
    """A token action that cannot be done; the message is translated and shown to the person."""


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns it with its key, which is not stored and cannot be shown again.

    Side effects: one ApiToken row (the key's SHA-256 and its first characters).
    """
    name = name.strip()
    if not name:
        raise ApiTokenError(_("Give the token a name."))
    if ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise ApiTokenError(_("You have %(n)d active tokens; revoke one first.") % {"n": MAX_ACTIVE_TOKENS})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name[:100], prefix=key[:12], key_hash=key_hash(key))
    token.full_clean()
    token.save()
    return token, key


def api_token_revoke(*, token: ApiToken, by: User) -> None:
    """Revoke a token of `by`'s own; it stops working at once. Revoking twice changes nothing."""
    if token.user_id != by.pk:
        raise ApiTokenError(_("This token is not yours."))
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_token_for_key(key: str) -> ApiToken | None:
    """The active token with this key (and its user), noting its use at most once a minute."""
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash(key), revoked_at__isnull=True).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
