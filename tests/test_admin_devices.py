"""Device token admin: list and revoke; never shows a device token."""

from typing import Any

from django.contrib.admin import helpers
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from jwtauth.models import DeviceToken

CHANGELIST = reverse("admin:jwtauth_devicetoken_changelist")


def test_changelist_lists_devices_without_tokens(
    admin_client: Client, user: Any, login: Any
) -> None:
    token = login(user)["device_token"]
    device = DeviceToken.objects.get()

    listing = admin_client.get(CHANGELIST).content.decode()
    detail = admin_client.get(reverse("admin:jwtauth_devicetoken_change", args=[device.pk]))

    assert "alice" in listing and "Revoke selected device tokens" in listing
    assert detail.status_code == 200
    for page in (listing, detail.content.decode()):
        assert token not in page and token.split(":")[-1] not in page


def test_the_action_revokes_the_selected_devices(
    admin_client: Client, user: Any, make_user: Any, login: Any
) -> None:
    login(user)
    login(make_user("bob"))
    alices = DeviceToken.objects.get(user=user)

    response = admin_client.post(
        CHANGELIST,
        {"action": "revoke_devices", helpers.ACTION_CHECKBOX_NAME: [str(alices.pk)]},
        follow=True,
    )

    assert "1 device token revoked." in response.content.decode()
    assert list(DeviceToken.objects.filter(revoked_at__isnull=False)) == [alices]


def test_staff_without_the_change_permission_cannot_revoke(
    client: Client, make_user: Any, user: Any, login: Any
) -> None:
    login(user)
    staff = make_user("viewer", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_devicetoken"))
    client.force_login(staff)
    page = client.get(CHANGELIST).content.decode()
    assert "alice" in page and "Revoke selected device tokens" not in page
