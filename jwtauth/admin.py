"""Admin for sessions: list, inspect and revoke."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from jwtauth import families
from jwtauth.admin_security import SessionEventInline, SessionUseInline
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


def _user_search_fields() -> tuple[str, ...]:
    """``user__<USERNAME_FIELD>`` and ``user__<EMAIL_FIELD>`` of the site's user model."""
    user_model = get_user_model()
    names = dict.fromkeys([user_model.USERNAME_FIELD, user_model.get_email_field_name()])
    concrete = {field.name for field in user_model._meta.concrete_fields}
    return tuple(f"user__{name}" for name in names if name in concrete)


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
    list_display = (
        "user",
        "created_at",
        "last_used_at",
        "ip",
        "last_ip",
        "last_user_agent",
        "status",
        "revoke_reason",
    )
    list_filter = (StatusFilter, "revoke_reason", "created_at")
    # plus the user's username and email fields, whatever they are
    search_fields = ("ip", "last_ip")
    list_select_related = ("user",)
    readonly_fields = (
        "id",
        "user",
        "created_at",
        "last_used_at",
        "expires_at",
        "ip",
        "user_agent",
        "last_ip",
        "last_user_agent",
        "revoked_at",
        "revoke_reason",
    )
    inlines = [RefreshTokenInline, SessionUseInline, SessionEventInline]
    actions = ["revoke_sessions"]
    show_full_result_count = False

    def get_search_fields(self, request: HttpRequest) -> tuple[str, ...]:
        return (*_user_search_fields(), *self.search_fields)

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

    # Deleting a row alone would leave the session's access tokens working until they
    # expire: both delete paths revoke first.
    def delete_model(self, request: HttpRequest, obj: TokenFamily) -> None:
        families.delete(family_ids=[obj.pk])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        families.delete(family_ids=list(queryset.values_list("pk", flat=True)))

    @admin.action(description=_("Revoke selected sessions"), permissions=["revoke"])
    def revoke_sessions(self, request: HttpRequest, queryset: QuerySet) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        count = families.revoke(family_ids=ids, reason=RevokeReason.ADMIN)
        self.message_user(
            request,
            ngettext("%d session revoked.", "%d sessions revoked.", count) % count,
            messages.SUCCESS,
        )


def _can_revoke(request: HttpRequest) -> bool:
    return request.user.has_perm("jwtauth.change_tokenfamily")


class RevokingFormSet(BaseInlineFormSet):
    """Deleting a session row in the inline revokes the session; its history stays."""

    def delete_existing(self, obj: TokenFamily, commit: bool = True) -> None:
        if commit:
            families.revoke(family_ids=[obj.pk], reason=RevokeReason.ADMIN)


class SessionInline(admin.TabularInline):
    """The user's active sessions, read-only; tick "Delete?" to revoke one."""

    model = TokenFamily
    formset = RevokingFormSet
    fields = ("created_at", "last_used_at", "expires_at", "ip", "user_agent")
    readonly_fields = fields
    extra = 0
    ordering = ("-last_used_at",)
    verbose_name = _("active session")
    verbose_name_plural = _("active sessions (tick “Delete?” to revoke)")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).active()

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _can_revoke(request)


class UserSessionsAdminMixin:
    """Adds the sessions inline and a "Log out everywhere" action to a user admin.

    jwtauth installs it on Django's own ``UserAdmin``; a site with its own user admin
    adds it itself: ``class MyUserAdmin(UserSessionsAdminMixin, UserAdmin): ...``.
    """

    inlines = [SessionInline]
    actions = ["log_out_everywhere"]

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return _can_revoke(request)

    @admin.action(description=_("Log out everywhere"), permissions=["revoke"])
    def log_out_everywhere(self, request: HttpRequest, queryset: QuerySet) -> None:
        count = sum(families.revoke_user(user=user, reason=RevokeReason.ADMIN) for user in queryset)
        self.message_user(  # type: ignore[attr-defined]
            request,
            ngettext("%d session revoked.", "%d sessions revoked.", count) % count,
            messages.SUCCESS,
        )


class SessionsUserAdmin(UserSessionsAdminMixin, UserAdmin):
    pass


def install_user_admin(site: admin.AdminSite) -> None:
    """Give Django's stock user admin the sessions inline and action; leave custom ones be.

    Runs when the admin imports this module, after ``django.contrib.auth``'s admin
    when ``jwtauth`` comes after it in ``INSTALLED_APPS``.
    """
    user_model = get_user_model()
    if type(site._registry.get(user_model)) is UserAdmin:
        site.unregister(user_model)
        site.register(user_model, SessionsUserAdmin)


install_user_admin(admin.site)
