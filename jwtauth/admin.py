"""Admin for sessions: list, inspect and revoke."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jwtauth import families
from jwtauth.models import RefreshToken, RevokeReason, TokenFamily


class StatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        return [("active", _("Active")), ("revoked", _("Revoked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class RefreshTokenInline(admin.TabularInline):
    model = RefreshToken
    fields = ("jti", "issued_at", "expires_at", "used_at", "revoked_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("-issued_at",)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(TokenFamily)
class TokenFamilyAdmin(admin.ModelAdmin):
    list_display = ("user", "created_at", "last_used_at", "ip", "status")
    list_filter = (StatusFilter, "revoke_reason", "created_at")
    search_fields = ("user__username", "user__email", "ip")
    list_select_related = ("user",)
    readonly_fields = (
        "id",
        "user",
        "created_at",
        "last_used_at",
        "ip",
        "user_agent",
        "revoked_at",
        "revoke_reason",
    )
    inlines = [RefreshTokenInline]
    actions = ["revoke_sessions"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Viewable, never editable: revocation goes through the action.
        return False

    @admin.display(description=_("status"))
    def status(self, obj: TokenFamily) -> str:
        if obj.revoked_at is None:
            return str(_("active"))
        return f"{_('revoked')} ({obj.get_revoke_reason_display()})"

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("jwtauth.change_tokenfamily")

    @admin.action(description=_("Revoke selected sessions"), permissions=["revoke"])
    def revoke_sessions(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        count = families.revoke(family_ids=ids, reason=RevokeReason.ADMIN)
        self.message_user(
            request,
            ngettext("%d session revoked.", "%d sessions revoked.", count) % count,
            messages.SUCCESS,
        )
