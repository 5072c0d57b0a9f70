"""The generated OpenAPI schema, and the error codes it documents for one answer."""

from typing import Any


def schema() -> dict[str, Any]:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def codes(operation: dict[str, Any], status: str) -> set[str]:
    """The error codes documented for one response of an operation."""
    body = operation["responses"][status]["content"]["application/json"]["schema"]
    variants = body.get("oneOf", [body])
    return {
        code for v in variants for code in v.get("properties", {}).get("code", {}).get("enum", [])
    }


def documented(path: str, method: str, status: int) -> set[str]:
    """The codes the schema lists for ``status`` of ``method path`` (empty if none)."""
    operation = schema()["paths"][path][method]
    if str(status) not in operation["responses"]:
        return set()
    return codes(operation, str(status))
