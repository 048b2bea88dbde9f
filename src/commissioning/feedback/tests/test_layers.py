"""Feedback sits above evaluation: no evaluation module imports feedback (evaluation calls its hooks)."""

import ast
from pathlib import Path

import commissioning.evaluation

EVALUATION = Path(commissioning.evaluation.__file__).parent

# The commissioner's dashboard reads every stage and is to move into a cross-stage app of its own; until
# then it, and its tests, are the one place evaluation imports feedback.
EXEMPT = {"dashboard.py", "tests/test_dashboard.py"}


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, relative imports resolved against its package."""
    package = ".".join(("commissioning", "evaluation", *path.relative_to(EVALUATION).parent.parts))
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def evaluation_files() -> list[Path]:
    return [p for p in sorted(EVALUATION.rglob("*.py")) if p.relative_to(EVALUATION).as_posix() not in EXEMPT]


def test_no_evaluation_module_imports_feedback():
    wrong = {
        path.relative_to(EVALUATION).as_posix(): sorted(m for m in imported_modules(path) if _is_feedback(m))
        for path in evaluation_files()
    }
    assert {name: modules for name, modules in wrong.items() if modules} == {}


def _is_feedback(module: str) -> bool:
    return module == "commissioning.feedback" or module.startswith("commissioning.feedback.")


def test_the_scan_reads_every_kind_of_import():
    # A scan that cannot see an import would pass whatever evaluation did.
    sample = EVALUATION / "views.py"
    assert "commissioning.evaluation.events" in imported_modules(sample)
    assert "django.urls.reverse" in imported_modules(sample)
    assert any(_is_feedback(m) for m in imported_modules(EVALUATION / "dashboard.py"))
    assert all(p.name != "dashboard.py" for p in evaluation_files()) and len(evaluation_files()) > 20
