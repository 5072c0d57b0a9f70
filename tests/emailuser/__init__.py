"""Test app: a user model signed in by email, with a UUID key and no username or is_active."""
