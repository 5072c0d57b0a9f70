"""Admin for device tokens: list and revoke; a device token itself is never stored or shown."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jwtauth import devices
from jwtauth.models import DeviceToken


@admin.register(DeviceToken)
class DeviceTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used_at", "revoked_at")
    list_filter = ("created_at", "revoked_at")
    search_fields = ("user__username", "user__email")
    list_select_related = ("user",)
    readonly_fields = ("id", "user", "created_at", "last_used_at", "revoked_at")
    actions = ["revoke_devices"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("jwtauth.change_devicetoken")

    @admin.action(description=_("Revoke selected device tokens"), permissions=["revoke"])
    def revoke_devices(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = devices.revoke(device_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%d device token revoked.", "%d device tokens revoked.", count) % count,
            messages.SUCCESS,
        )
