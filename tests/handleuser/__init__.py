"""Test app: a user model with a ``handle`` as username and a differently named email field."""
