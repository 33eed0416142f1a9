"""The pure cores never import Django (or any Minga module outside minga.core)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "minga" / "core"


def test_no_core_module_imports_django_or_the_apps() -> None:
    """Every import in minga/core names the standard library, a solver, or minga.core."""
    offenders = []
    modules = list(CORE.rglob("*.py"))
    assert len(modules) > 10
    for module in modules:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                if name.split(".")[0] == "django" or (
                    name.startswith("minga.") and not name.startswith("minga.core")
                ):
                    offenders.append(f"{module.relative_to(CORE)}: {name}")
    assert offenders == []
