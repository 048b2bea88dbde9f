"""The review app stands above every stage: it may import any of them, and none may import it."""

import ast
from pathlib import Path

import commissioning

ROOT = Path(commissioning.__file__).parent
ABOVE_THE_STAGES = {"config", "review"}


def _imported(path: Path) -> set[str]:
    """Every module a Python file imports, relative imports made absolute, wherever the import stands."""
    package = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _imports_review(path: Path) -> bool:
    return any(name == "commissioning.review" or name.startswith("commissioning.review.") for name in _imported(path))


def test_no_stage_or_kernel_app_imports_the_review_app():
    apps = [p for p in ROOT.iterdir() if p.is_dir() and (p / "__init__.py").exists() and p.name not in ABOVE_THE_STAGES]
    assert {"core", "opportunities", "submissions", "evaluation"} <= {p.name for p in apps}
    offending = [str(f.relative_to(ROOT)) for app in apps for f in app.rglob("*.py") if _imports_review(f)]
    assert offending == []


def test_the_scan_finds_an_import_of_review_in_every_form(tmp_path, monkeypatch):
    stage = tmp_path / "commissioning" / "evaluation"
    stage.mkdir(parents=True)
    monkeypatch.setitem(globals(), "ROOT", tmp_path / "commissioning")
    forms = [
        "import commissioning.review.selectors\n",
        "from commissioning.review import selectors\n",
        "from ..review.selectors import STAGES\n",
        "def late():\n    from commissioning.review.views import dashboard\n",
    ]
    for number, source in enumerate(forms):
        module = stage / f"m{number}.py"
        module.write_text(source)
        assert _imports_review(module), source
    harmless = stage / "harmless.py"
    harmless.write_text("from commissioning.reviewing import x\nfrom . import worklist\n")
    assert not _imports_review(harmless)
