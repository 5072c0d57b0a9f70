"""Integrations of jwtauth with other Django packages, each importable only with its package."""
