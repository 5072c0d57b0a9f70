# Binds sessions to the password they started under, and records where each was last used.
# Existing sessions are bound to their user's current password and take the login's address
# as their last one.

from django.db import migrations, models

BATCH = 2000


def backfill(apps, schema_editor):
    from jwtauth.credentials import fingerprint

    token_family = apps.get_model("jwtauth", "TokenFamily")
    pending = token_family.objects.filter(credential="", revoked_at__isnull=True)
    while True:
        batch = list(pending.select_related("user").order_by("pk")[:BATCH])
        if not batch:
            return
        for family in batch:
            family.credential = fingerprint(family.user.password)
            family.last_ip, family.last_user_agent = family.ip, family.user_agent
        token_family.objects.bulk_update(batch, ["credential", "last_ip", "last_user_agent"])


class Migration(migrations.Migration):
    dependencies = [
        ("jwtauth", "0003_revocation_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="tokenfamily",
            name="credential",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddField(
            model_name="tokenfamily",
            name="last_ip",
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="tokenfamily",
            name="last_user_agent",
            field=models.CharField(blank=True, max_length=256),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
