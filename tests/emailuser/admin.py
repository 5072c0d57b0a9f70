"""A site's own user admin, with jwtauth's sessions inline and action added by the mixin."""

from django.contrib import admin

from jwtauth.admin import UserSessionsAdminMixin
from tests.emailuser.models import EmailUser


@admin.register(EmailUser)
class EmailUserAdmin(UserSessionsAdminMixin, admin.ModelAdmin):
    list_display = ("email", "full_name", "is_staff")
    search_fields = ("email", "full_name")
