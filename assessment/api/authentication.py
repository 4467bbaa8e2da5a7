"""Personal API tokens: `Authorization: Bearer pma_…`."""

import logging

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from assessment.client_ip import client_ip
from assessment.services.tokens import api_token_authenticate

usage_log = logging.getLogger("assessment.api.tokens")


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """Authenticates a request by a personal API token; every use is logged."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("The Authorization header must be “Bearer <token>”."), code="invalid_token"
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError:
            key = ""
        address = client_ip(request) or None
        token = api_token_authenticate(key=key, ip=address)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The API token is unknown, has expired or has been revoked."),
                code="invalid_token",
            )
        usage_log.info(
            "token used: %s user=%s %s %s from %s",
            token.prefix,
            token.user_id,
            request.method,
            request.path,
            address,
        )
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": _(
                "A personal API token, created on the “API tokens” page: "
                "`Authorization: Bearer pma_…`."
            ),
        }
