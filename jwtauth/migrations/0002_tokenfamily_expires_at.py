# Adds the absolute session lifetime; existing sessions end SESSION_LIFETIME after they began.

from django.db import migrations, models
from django.db.models import F


def backfill_expires_at(apps, schema_editor):
    from jwtauth.settings import jwtauth_settings

    token_family = apps.get_model("jwtauth", "TokenFamily")
    token_family.objects.filter(expires_at__isnull=True).update(
        expires_at=F("created_at") + jwtauth_settings.SESSION_LIFETIME
    )


class Migration(migrations.Migration):
    dependencies = [
        ("jwtauth", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="tokenfamily",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(backfill_expires_at, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="tokenfamily",
            name="expires_at",
            field=models.DateTimeField(),
        ),
        migrations.AddIndex(
            model_name="tokenfamily",
            index=models.Index(fields=["expires_at"], name="jwtauth_family_expires_idx"),
        ),
    ]
