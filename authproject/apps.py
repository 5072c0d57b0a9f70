"""The sample project as an app, for its demo command."""

from django.apps import AppConfig


class AuthProjectConfig(AppConfig):
    name = "authproject"
    verbose_name = "jwtauth sample project"
