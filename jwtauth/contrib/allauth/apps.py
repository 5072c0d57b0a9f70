"""App configuration of the allauth integration."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JWTAuthAllauthConfig(AppConfig):
    name = "jwtauth.contrib.allauth"
    label = "jwtauth_allauth"
    verbose_name = _("JWT authentication for django-allauth")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jwtauth.contrib.allauth import receivers

        receivers.connect()
