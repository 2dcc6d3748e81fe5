"""The packages read top-down: document → chunks → index → storage → services → answers and
channels → the commands that run them. A module imports only from its own layer or the ones
below (imports inside functions count too), so no package cycle can come back unnoticed.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO

# Source folder of each top-level package of the distribution (pyproject's package-dir).
FOLDERS = {
    "motcua": "motcua",
    "motcua.ingest": "ingest",
    "motcua.index": "index",
    "motcua.bot": "bot",
}

# Lowest first. What everything stands on, then each stage of the flow.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    (
        "ground",
        (
            "motcua",
            "motcua.types",
            "motcua.text",
            "motcua.settings",
            "motcua.logs",
            "motcua.lexicon",
            "motcua.privacy",
            "motcua.periodic",
            "motcua.question_match",
            "motcua.evaluation",
        ),
    ),
    ("documents to chunks", ("motcua.ingest",)),
    ("index", ("motcua.index",)),
    ("storage", ("motcua.storage",)),
    (
        "services",
        ("motcua.index_builds", "motcua.ingest_jobs", "motcua.uploads", "motcua.insights"),
    ),
    ("answers, web and channels", ("motcua.bot",)),
    ("commands", ("motcua.cli", "motcua.serve", "motcua.calibration", "motcua.report")),
]


def layer_of(module: str) -> int:
    """The layer of the longest prefix that names `module` (or a package holding it)."""
    best, depth = None, -1
    for level, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and prefix.count(".") > depth:
                best, depth = level, prefix.count(".")
    assert best is not None, f"{module} belongs to no layer: add it to LAYERS"
    return best


def modules() -> dict[str, Path]:
    found = {}
    for package, folder in FOLDERS.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            parts = path.relative_to(REPO / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


def imports(module: str, path: Path) -> set[str]:
    names: set[str] = set()
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved from this module's package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                names.add(f"{base}.{node.module}" if node.module else base)
            elif node.module:
                names.add(node.module)
    return {n for n in names if n == "motcua" or n.startswith("motcua.")}


def test_every_module_imports_only_its_own_layer_or_lower() -> None:
    upward = []
    for module, path in modules().items():
        own = layer_of(module)
        for imported in imports(module, path):
            if layer_of(imported) > own:
                upward.append(
                    f"{module} ({LAYERS[own][0]}) imports {imported} "
                    f"({LAYERS[layer_of(imported)][0]})"
                )
    assert upward == []


def test_the_layer_check_sees_an_upward_import(tmp_path: Path) -> None:
    # The check must be able to fail: storage rendering an answer template is upward.
    source = tmp_path / "curated.py"
    source.write_text("from motcua.bot.templates import render\n", encoding="utf-8")
    (imported,) = imports("motcua.storage.curated", source)
    assert layer_of(imported) > layer_of("motcua.storage.curated")
