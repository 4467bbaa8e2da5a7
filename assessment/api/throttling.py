"""Rate limits: per API token (each token its own budget), per signed-in user, per address."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from assessment.client_ip import client_ip
from assessment.models import ApiToken


class ApiRateThrottle(SimpleRateThrottle):
    """One budget per token (scope "token"), per session user ("user"), or per address ("anon").

    Rates are REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], set from API_RATE_TOKEN, API_RATE_USER
    and API_RATE_ANON.
    """

    def __init__(self):
        # The scope is known only per request (see allow_request).
        pass

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiToken):
            self.scope, ident = "token", f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            self.scope, ident = "user", f"user-{request.user.pk}"
        else:
            # The address behind TRUSTED_PROXY_COUNT proxies, never a client-sent header.
            self.scope, ident = "anon", client_ip(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.ident = ident
        return super().allow_request(request, view)

    def get_rate(self):
        # Read per request (SimpleRateThrottle binds the rates when the class is defined).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.ident}
