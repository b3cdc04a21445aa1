"""The notifications package has no import circle (services → tasks → delivery, one way)."""
import ast
from pathlib import Path

import notifications

PACKAGE = Path(notifications.__file__).parent


def _imports_of(path: Path) -> set[str]:
    """Modules of the package that `path` imports anywhere (top level or inside functions)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found |= {alias.name for alias in node.names}
            elif node.module and node.module.startswith("notifications."):
                found.add(node.module.split(".")[1])
            elif node.module == "notifications":
                found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("notifications.")}
    return found


def test_notifications_modules_import_each_other_one_way():
    graph = {p.stem: _imports_of(p) & {q.stem for q in PACKAGE.glob("*.py")} for p in PACKAGE.glob("*.py")}
    assert "tasks" in graph["services"] and "services" not in graph["tasks"]

    def reaches(start, target, seen=()):
        return any(n == target or (n not in seen and reaches(n, target, (*seen, n))) for n in graph.get(start, ()))

    circles = sorted(m for m in graph if reaches(m, m))
    assert circles == []
