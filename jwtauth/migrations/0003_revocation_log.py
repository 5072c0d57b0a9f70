# The revocation log replaces the deny-list in the cache. Sessions revoked within the last
# access-token lifetime are copied in, so their access tokens stay refused across the upgrade.

from datetime import timedelta

from django.db import migrations, models
from django.utils import timezone


def copy_recent_revocations(apps, schema_editor):
    from jwtauth.settings import jwtauth_settings

    token_family = apps.get_model("jwtauth", "TokenFamily")
    entry = apps.get_model("jwtauth", "RevocationEntry")
    leeway = jwtauth_settings.LEEWAY
    leeway = leeway if isinstance(leeway, timedelta) else timedelta(seconds=leeway)
    live = jwtauth_settings.ACCESS_TOKEN_LIFETIME + leeway + timedelta(seconds=5)
    now = timezone.now()
    recent = token_family.objects.filter(revoked_at__gt=now - live).order_by("revoked_at")
    entry.objects.bulk_create(
        entry(
            kind="session",
            key=str(pk),
            created_at=revoked_at,
            expires_at=revoked_at + live,
        )
        for pk, revoked_at in recent.values_list("pk", "revoked_at").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("jwtauth", "0002_tokenfamily_expires_at"),
    ]

    operations = [
        migrations.CreateModel(
            name="RevocationEntry",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                (
                    "kind",
                    models.CharField(
                        choices=[("session", "Session"), ("user", "User")], max_length=8
                    ),
                ),
                ("key", models.CharField(max_length=255)),
                ("not_before", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField()),
                ("expires_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "revocation",
                "verbose_name_plural": "revocations",
                "indexes": [models.Index(fields=["expires_at"], name="jwtauth_revlog_expires_idx")],
            },
        ),
        migrations.RunPython(copy_recent_revocations, migrations.RunPython.noop),
    ]
