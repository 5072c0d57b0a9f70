"""Plain helpers the test modules import; fixtures and hooks stay in the conftest.py files."""
