"""USERNAME_FIELD ``handle``, EMAIL_FIELD ``contact_email``, extra REQUIRED_FIELDS."""

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.db import models


class HandleUserManager(BaseUserManager):
    def create_user(self, handle: str, password: str | None = None, **fields: Any) -> Any:
        if "contact_email" in fields:
            fields["contact_email"] = self.normalize_email(fields["contact_email"])
        user = self.model(handle=self.model.normalize_username(handle), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, handle: str, password: str | None = None, **fields: Any) -> Any:
        return self.create_user(handle, password, is_staff=True, is_superuser=True, **fields)


class HandleUser(AbstractBaseUser, PermissionsMixin):
    handle = models.CharField(max_length=40, unique=True, validators=[UnicodeUsernameValidator()])
    contact_email = models.EmailField(max_length=254, default="")
    display_name = models.CharField(max_length=100, default="")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)

    USERNAME_FIELD = "handle"
    EMAIL_FIELD = "contact_email"
    REQUIRED_FIELDS = ["contact_email", "display_name"]

    objects = HandleUserManager()

    def __str__(self) -> str:
        return self.handle
