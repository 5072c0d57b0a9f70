"""jwtauth sessions as django-allauth's headless token strategy (extra ``allauth``)."""

try:
    import allauth.headless  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "jwtauth.contrib.allauth needs django-allauth with its headless extra: "
        "pip install 'django-jwtauth[allauth]'"
    ) from exc
