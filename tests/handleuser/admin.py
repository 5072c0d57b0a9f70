"""A site's own user admin, with jwtauth's sessions inline and action added by the mixin."""

from django.contrib import admin

from jwtauth.admin import UserSessionsAdminMixin
from tests.handleuser.models import HandleUser


@admin.register(HandleUser)
class HandleUserAdmin(UserSessionsAdminMixin, admin.ModelAdmin):
    list_display = ("handle", "contact_email", "is_staff")
    search_fields = ("handle", "contact_email")
