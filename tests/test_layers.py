"""The packages read top-down: the ground (types, text, settings, logs, lexicon) → storage →
documents to chunks → index → answering → channels → web → the commands that run them. A module
imports only from its own layer or the ones below (imports inside functions count too), and no
two packages import each other, even within a layer.
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
    "motcua.commands": "commands",
}

# Lowest first. What everything stands on (types, text, settings, logs, the lexicon), the rows
# kept in SQL (they know no answering), then each stage of the flow: documents to chunks, the
# index's whole life (builds, versions, uploads, the jobs that index them, the watcher that
# keeps a worker on the current version), answering one question (and reading what was asked),
# the channels that carry answers, the web service over all of them, the commands that run them.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("ground", ("motcua",)),
    ("storage", ("motcua.storage",)),
    ("documents to chunks", ("motcua.ingest",)),
    ("index", ("motcua.index",)),
    ("answering and insights", ("motcua.bot", "motcua.bot.answering", "motcua.bot.insights")),
    ("channels", ("motcua.bot.channels",)),
    ("web", ("motcua.bot.web",)),
    ("commands", ("motcua.commands",)),
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
    source.write_text("from motcua.bot.answering.templates import render\n", encoding="utf-8")
    (imported,) = imports("motcua.storage.curated", source)
    assert layer_of(imported) > layer_of("motcua.storage.curated")


def package_of(module: str, known: dict[str, Path]) -> str:
    """The package a module belongs to (itself, for a package's __init__)."""
    path = known.get(module)
    return module if path is not None and path.name == "__init__.py" else module.rsplit(".", 1)[0]


def package_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Groups of packages that import one another, directly or around a loop."""
    reach = {p: set() for p in edges}
    for start in edges:
        todo = list(edges[start])
        while todo:
            node = todo.pop()
            if node not in reach[start]:
                reach[start].add(node)
                todo.extend(edges.get(node, ()))
    groups = {frozenset({p} | {q for q in reach[p] if p in reach.get(q, set())}) for p in edges}
    return sorted(sorted(g) for g in groups if len(g) > 1)


def import_edges() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for module, path in known.items():
        source = package_of(module, known)
        for imported in imports(module, path):
            target = package_of(imported, known) if imported in known else imported
            # A package's own __init__ importing its modules is how a package is made.
            if target != source and not target.startswith(source + "."):
                edges.setdefault(source, set()).add(target)
    return edges


def test_no_two_packages_import_each_other() -> None:
    assert package_cycles(import_edges()) == []


def test_the_cycle_check_sees_a_loop() -> None:
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert package_cycles(edges) == [["a", "b", "c"]]
