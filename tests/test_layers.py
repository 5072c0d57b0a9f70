"""Import rules the import-linter contracts (pyproject.toml) cannot state about Django itself."""

import ast
from pathlib import Path

import jwtauth

PACKAGE = Path(jwtauth.__file__).parent
ORM_OR_CACHE = ("django.db", "django.core.cache", "redis", "psycopg")


def _imports(module: str) -> set[str]:
    path = PACKAGE.joinpath(*module.split(".")[1:])
    source = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    found: set[str] = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            if node.module == "jwtauth":
                found.update(f"jwtauth.{alias.name}" for alias in node.names)
    return found


def _closure(start: str) -> dict[str, set[str]]:
    """Every jwtauth module ``start`` imports, directly or not, with what each imports."""
    seen: dict[str, set[str]] = {}
    todo = [start]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen[module] = _imports(module)
        todo += [name for name in seen[module] if name.startswith("jwtauth.")]
    return seen


def test_tokens_and_what_it_imports_never_import_the_orm_or_the_cache() -> None:
    closure = _closure("jwtauth.tokens")
    assert {"jwtauth.tokens", "jwtauth.verifier", "jwtauth.keys.sets"} <= set(closure)
    offenders = {
        module: sorted(name for name in names if name.startswith(ORM_OR_CACHE))
        for module, names in closure.items()
    }
    assert not {module: names for module, names in offenders.items() if names}


def test_the_closure_sees_an_orm_import() -> None:
    # The walk above finds what it looks for: revocation reaches the log's model.
    closure = _closure("jwtauth.revocation")
    assert any(name.startswith("django.db") for names in closure.values() for name in names)
