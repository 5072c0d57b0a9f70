"""Admin for device tokens and security events, and the session page's lineage; read-only,
never a token or a digest."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jwtauth import devices
from jwtauth.models import DeviceToken, SecurityEvent, SessionUse


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


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Whoever may view the session sees its history.
        return request.user.has_perm("jwtauth.view_tokenfamily")


class SessionUseInline(_ReadOnlyInline):
    """The session's lineage: its login and every refresh (each spends one refresh token and
    issues the next, at the same time), with where it came from."""

    model = SessionUse
    fields = ("kind", "at", "ip", "user_agent")
    readonly_fields = fields
    ordering = ("at", "pk")
    verbose_name = _("use")
    verbose_name_plural = _("lineage: login and refreshes, where they came from")


class SessionEventInline(_ReadOnlyInline):
    model = SecurityEvent
    fields = (
        "kind",
        "created_at",
        "ip",
        "user_agent",
        "session_used_at",
        "session_ip",
        "session_user_agent",
    )
    readonly_fields = fields
    ordering = ("created_at", "pk")
    verbose_name_plural = _(
        "security events (a reuse shows the replay and the last legitimate use)"
    )


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "kind", "ip", "session")
    list_filter = ("kind", "created_at")
    search_fields = ("user__username", "user__email", "ip")
    list_select_related = ("user", "session")
    readonly_fields = (
        "user",
        "kind",
        "created_at",
        "session",
        "ip",
        "user_agent",
        "session_used_at",
        "session_ip",
        "session_user_agent",
    )
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
