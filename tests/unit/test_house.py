"""The rules of the house (../shared/DESIGN.md) that a machine can check: import arrows, private names, room sizes."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("pages", "api", "ui", "core", "storage", "nn", "texts")
#: A file longer than this probably holds two ideas (DESIGN: "a file over ~500 lines"); the catalogue's
#: modules are data, one sentence per line, and are left out.
MAX_LINES = 550


def _sources() -> list[Path]:
    return [ROOT / "Home.py", *(p for package in PACKAGES for p in sorted((ROOT / package).rglob("*.py")))]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_the_import_contracts_in_pyproject_are_kept():
    """import-linter checks the arrows, streamlit and duckdb stay where they belong, nn is numpy only."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache", "--no-logo", "pyproject.toml"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert "Contracts:" in done.stdout, done.stdout + done.stderr
    assert done.returncode == 0, done.stdout[-4000:]


def test_no_module_imports_a_private_name_of_another_module():
    """``from storage.workspace import _quote_identifier`` reaches into another module's privates."""
    offences = []
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            if node.module.split(".")[0] not in PACKAGES:
                continue
            private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            if private:
                offences.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {private} from {node.module}")
    assert offences == []


def test_home_is_only_the_router():
    """Home.py: page config, authentication, navigation; it imports streamlit and ui/, nothing else."""
    tree = ast.parse((ROOT / "Home.py").read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"streamlit", "ui", "texts", "__future__"}, imported


def test_no_room_holds_two_ideas():
    """No file of the app over ~500 lines (the string catalogue aside): split it by idea."""
    long = {str(p.relative_to(ROOT)): n for p in _sources()
            if p.parts[-2] != "texts" and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_every_package_says_what_it_holds():
    """Every package and module starts with a docstring saying what it is for."""
    missing = [str(p.relative_to(ROOT)) for p in _sources()
               if p.name != "__init__.py" or p.stat().st_size > 0
               if ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None]
    assert missing == []
