"""What cache backends raise when their server cannot be reached."""

try:
    from redis.exceptions import RedisError
except ImportError:  # redis is an optional dependency
    RedisError = OSError  # type: ignore[assignment,misc]

# Socket errors are OSError; redis-py wraps its own in RedisError.
CACHE_ERRORS: tuple[type[Exception], ...] = (OSError, RedisError)
