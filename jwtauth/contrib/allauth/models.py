"""Which Django session holds allauth's state for a jwtauth session."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionLink(models.Model):
    """allauth keeps its flow state (MFA, reauthentication, ...) in a Django session; the
    jwtauth session started at the end of its login flow is linked to it here, so a Bearer
    token finds allauth's session and a revocation on either side ends the other."""

    family = models.OneToOneField(
        "jwtauth.TokenFamily",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        verbose_name=_("session"),
    )
    session_key = models.CharField(_("Django session key"), max_length=40)

    class Meta:
        verbose_name = _("allauth session link")
        verbose_name_plural = _("allauth session links")
        indexes = [models.Index(fields=["session_key"], name="jwtauth_allauth_key_idx")]

    def __str__(self) -> str:
        return str(self.family_id)
