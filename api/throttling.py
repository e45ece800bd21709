"""Rate limits kept in the cache: one bucket per API token, per signed-in user (session) or per address."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class PerTokenRateThrottle(SimpleRateThrottle):
    """Scope `token` for API tokens (each its own bucket), `user` for browser sessions, `anon` otherwise.

    The rates are read per request from REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], so settings apply live.
    """

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiToken):
            self.scope, self.ident = "token", f"t{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            self.scope, self.ident = "user", f"u{request.user.pk}"
        else:
            self.scope, self.ident = "anon", self.get_ident(request)
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_rate(self):
        return None  # set per request in allow_request

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}
