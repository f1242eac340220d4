"""The configuration fingerprint of a load: when it changes, loaded files are read again.

A file already loaded with the same content and the same fingerprint is not read again
(« déjà chargé à l'identique »). The fingerprint covers exactly what shapes how a file
becomes rows: the edition's file and those it inherits from (``herite_de``), the mapping
file, the reference geography's build, the SQL views, and the source of the ``etl``
modules a load runs, found from the import graph (reading, normalising, rules,
territory, identity, the warehouse contract and checks…). Hashing the sources rather than
relying on a version number someone must remember to bump means a changed rule can never
leave stale rows; the price is that a mere comment in those modules makes the next load
read its files again. Another edition's file, a bench, the demo generator, the app or the
analysts' layer never make a loaded file look stale.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import tomllib
from collections.abc import Sequence
from pathlib import Path

from etl import paths, reference
from etl.editions import Edition

SQL_DIR = Path(__file__).with_name("sql")

LOAD_ENTRY_MODULES = ("etl.pipeline", "etl.warehouse.build")
"""Where the load starts: the fingerprint covers these modules and every ``etl`` module
they import, directly or not."""


@functools.cache
def load_sources(entries: Sequence[str] = LOAD_ENTRY_MODULES) -> tuple[Path, ...]:
    """The source files of the ``etl`` modules a load runs, found from the import graph
    (reading, normalising, rules, territory, identity, contract, checks…; not the demo
    generator, the benches nor the analysts' layer). Found once per process: code does
    not change under a running program (its files' bytes are read at each fingerprint)."""
    root = paths.ROOT
    seen: dict[str, Path] = {}
    todo = list(entries)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        base = root.joinpath(*name.split("."))
        path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
        if not path.is_file():
            continue
        seen[name] = path
        if name.count(".") and (parent := name.rsplit(".", 1)[0]) not in seen:
            todo.append(parent)  # a package's __init__ runs before its modules
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                todo += [a.name for a in node.names if a.name.split(".")[0] == "etl"]
            elif (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.level == 0
                and node.module.split(".")[0] == "etl"
            ):
                todo.append(node.module)
                todo += [f"{node.module}.{a.name}" for a in node.names]
    return tuple(sorted(seen.values()))


def _edition_chain(edition: Edition) -> list[Path]:
    """The edition's file and those it inherits from (``herite_de``), child first."""
    chain = [edition.source_fichier]
    parent = edition.herite_de
    while parent is not None:
        fichier = edition.source_fichier.with_name(f"{parent}.toml")
        if not fichier.is_file() or fichier in chain:
            break
        chain.append(fichier)
        value = tomllib.loads(fichier.read_text(encoding="utf-8")).get("herite_de")
        parent = value if isinstance(value, int) else None
    return chain


def config_fingerprint(edition: Edition, mapping: Path | None, ref_dir: Path) -> str:
    """SHA-256 of what shapes how a file is loaded: the edition file and those it inherits
    from, the mapping file, the reference build, the SQL views, and the source of the
    modules the load runs (:func:`load_sources`). Another edition's file, a bench, the
    demo generator or the app never make a loaded file look stale."""
    digest = hashlib.sha256()
    for source in [*_edition_chain(edition), *([mapping] if mapping else [])]:
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    for source in [*load_sources(), *sorted(SQL_DIR.glob("*.sql"))]:
        digest.update(str(source.relative_to(paths.ROOT)).encode())
        digest.update(source.read_bytes())
    meta = reference.stored_metadata(ref_dir) or {}
    digest.update(str(meta.get("fingerprint", "")).encode())
    return digest.hexdigest()
