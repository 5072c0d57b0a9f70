"""App configuration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JWTAuthConfig(AppConfig):
    name = "jwtauth"
    verbose_name = _("JWT authentication")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jwtauth import (  # noqa: F401  checks register themselves
            checks,
            receivers,
            security_receivers,
            site_checks,
        )

        receivers.connect()
        security_receivers.connect()
        try:
            import drf_spectacular  # noqa: F401
        except ImportError:
            return
        # Describes the endpoints for drf-spectacular; jwtauth runs without it.
        from jwtauth.openapi import bodies, endpoints, security  # noqa: F401
