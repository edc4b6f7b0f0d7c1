"""The architecture holds (docs/architecture.md): no process-global mutable state, modules
of at most 400 lines, and a pipeline function that fits one screen.

What a process remembers between builds lives in one object, :class:`ici_site.build.state.State`,
that ``serve`` owns and hands to each build. A module may hold constants (also a dict or
a set built once at import and never changed after) and memos of pure functions
(``functools.cache``/``lru_cache``: the same arguments always give the same result, so
they never change what a build makes); nothing else.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import importlib
import inspect
import pkgutil
from pathlib import Path

import ici_site
import ici_site.pipeline

PACKAGE = Path(ici_site.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
MUTATORS = frozenset({"append", "extend", "insert", "pop", "popitem", "remove", "clear", "update", "setdefault",
                      "add", "discard", "sort", "reverse", "__setitem__", "__delitem__"})
CONTAINERS = (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)
CONTAINER_CALLS = frozenset({"dict", "list", "set", "defaultdict", "Counter", "OrderedDict", "deque", "bytearray"})


def trees() -> dict[str, ast.Module]:
    return {path.relative_to(PACKAGE.parent).as_posix(): ast.parse(path.read_text(), str(path)) for path in MODULES}


def module_names(tree: ast.Module) -> set[str]:
    """The names a module assigns at its top level."""
    names: set[str] = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, (ast.AnnAssign, ast.AugAssign)) else []
        names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def is_module(package: str, name: str) -> bool:
    """Whether ``from package import name`` imports a module of this project (not an object)."""
    folder = PACKAGE.parent / package.replace(".", "/")
    return (folder / f"{name}.py").exists() or (folder / name / "__init__.py").exists()


def mutations(node: ast.AST) -> list[tuple[str, int]]:
    """(name, line) of every ``NAME[...] = …``, ``del NAME[...]``, ``NAME += …`` and ``NAME.<mutator>(…)``."""
    found = []
    for sub in ast.walk(node):
        if isinstance(sub, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Delete)):
            targets = sub.targets if isinstance(sub, (ast.Assign, ast.Delete)) else [sub.target]
            for target in targets:
                if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                    found.append((target.value.id, sub.lineno))
                elif isinstance(sub, ast.AugAssign) and isinstance(target, ast.Name):
                    found.append((target.id, sub.lineno))
        elif isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr in MUTATORS \
                and isinstance(sub.func.value, ast.Name):
            found.append((sub.func.value.id, sub.lineno))
    return found


def test_no_module_changes_a_module_level_object_after_import() -> None:
    """A module-level object changed inside a function is state one build leaves to the next."""
    found = []
    for path, tree in trees().items():
        names = module_names(tree)
        imported = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and node.module for alias in node.names if not is_module(node.module, alias.name)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                found.append(f"{path}:{node.lineno}: global {', '.join(node.names)}")
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                local = {a.arg for a in (*node.args.args, *node.args.kwonlyargs, *node.args.posonlyargs)}
                local |= {t.id for sub in ast.walk(node) if isinstance(sub, (ast.Assign, ast.AnnAssign, ast.For,
                                                                             ast.comprehension, ast.With))
                          for t in ast.walk(sub.target if hasattr(sub, "target") else sub)
                          if isinstance(t, ast.Name) and isinstance(t.ctx, ast.Store)}
                for name, line in mutations(node):
                    if (name in names or name in imported) and name not in local:
                        found.append(f"{path}:{line}: changes the module-level '{name}'")
    assert found == []


def test_no_class_keeps_a_mutable_class_attribute() -> None:
    """A dict or list on a class is shared by every instance: the same state in another place."""
    found = []
    for path, tree in trees().items():
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for node in cls.body:
                value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
                call = isinstance(value, ast.Call) and getattr(value.func, "id", "") in CONTAINER_CALLS
                if isinstance(value, CONTAINERS) or call:
                    found.append(f"{path}:{node.lineno}: {cls.name} holds a mutable class attribute")
    assert found == []


# Memo tables of pure functions, like functools.cache: what they hold never changes a result.
MEMOS = {"ici_site.site.bidi.BIDI_KINDS": "str.translate table: each character's bidirectional kind, worked out once"}


def test_no_module_holds_an_object_of_its_own_mutable_classes() -> None:
    """A module-level instance of one of the project's classes (a digest store, a pool) is
    state; frozen dataclasses, enums, functions and the memos above are not."""
    found = []
    for info in pkgutil.walk_packages(ici_site.__path__, "ici_site."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            kind = type(value)
            if not kind.__module__.startswith("ici_site.") or inspect.isclass(value) or callable(value):
                continue
            frozen = dataclasses.is_dataclass(value) and kind.__dataclass_params__.frozen  # type: ignore[attr-defined]
            if not frozen and not isinstance(value, (enum.Enum, tuple)) and f"{info.name}.{name}" not in MEMOS:
                found.append(f"{info.name}.{name}: a {kind.__name__}")
    assert found == []


def test_every_module_fits_in_400_lines() -> None:
    longer = {path.relative_to(PACKAGE.parent).as_posix(): n for path in MODULES
              if (n := len(path.read_text().splitlines())) > 400}
    assert longer == {}


def test_the_pipeline_fits_one_screen_and_names_its_stages() -> None:
    """``build_site`` reads like a table of contents: every stage, and nothing of the speed layer."""
    source = inspect.getsource(ici_site.pipeline.build_site)
    assert len(source.splitlines()) <= 25
    for stage in ("load_site", "read_catalogs", "publish", "outputs", "render", "check_links", "network_pages"):
        assert f"{stage}(" in source, stage
    for word in ("cache", "manifest", "fork", "staging", "worker", "kept", "key"):
        assert word not in source.lower(), word


def test_every_module_imports_first() -> None:
    """Each module of the project can be the first one a process imports (an import cycle
    between packages shows only then: ``import ici_site.pipeline`` once failed because the
    build package's ``__init__`` imported the speed layer, which imports the pipeline)."""
    import subprocess
    import sys

    names = sorted({".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
                    for path in MODULES})
    script = ("import subprocess, sys\n"
              "from concurrent.futures import ThreadPoolExecutor\n"
              "def first(name):\n"
              "    done = subprocess.run([sys.executable, '-c', f'import {name}'], capture_output=True, text=True)\n"
              "    return f'{name}: {done.stderr[-300:]}' if done.returncode else ''\n"
              "with ThreadPoolExecutor(4) as pool:\n"
              "    print(''.join(pool.map(first, sys.argv[1:])))\n")
    done = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, check=True,
                          cwd=PACKAGE.parent)
    assert done.stdout.strip() == "", done.stdout
