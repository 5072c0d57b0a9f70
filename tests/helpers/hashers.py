"""A password hasher that counts its checks, for the lockout races."""

import threading

from django.contrib.auth.hashers import BCryptSHA256PasswordHasher


class CountingBCrypt(BCryptSHA256PasswordHasher):
    """bcrypt, counting every password check."""

    checks = 0
    lock = threading.Lock()

    def verify(self, password: str, encoded: str) -> bool:
        with CountingBCrypt.lock:
            CountingBCrypt.checks += 1
        return super().verify(password, encoded)


COUNTING_BCRYPT = f"{__name__}.CountingBCrypt"  # for the PASSWORD_HASHERS setting
