"""``zhibu plugin new NAME``: a working third-party plugin to start from.

The generated folder is a complete distribution: ``pyproject.toml`` (the ``zhibu`` entry point, a
``test`` extra, pytest settings), a package with a tenant-owned model and its migration, a query and
a mutation (audited, permission-checked, refused where the tenant has not enabled the plugin), a rule
with a stable code reading its number from the plugin's tenant config, a scorer, and tests written
with zhibu's test kit (:mod:`core.testing`) that pass as generated on SQLite and PostgreSQL::

    zhibu plugin new university --label 高校党建
    cd zhibu-university && pip install -e '.[test]' && pytest
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


def _latest_core_migrations() -> list[tuple[str, str]]:
    """The newest migration of each core app the plugin's tables refer to (``core``)."""
    import migrations.core as package

    names = sorted(p.stem for p in Path(package.__file__).parent.glob("[0-9]*.py"))
    return [("core", names[-1])]


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def substitutions(name: str, label: str) -> dict[str, str]:
    camel = _camel(name)
    return {
        "name": name,
        "label": label,
        "package": f"zhibu_{name}",
        "distribution": f"zhibu-{name.replace('_', '-')}",
        "camel": camel,
        "Type": camel[0].upper() + camel[1:],
        "CODE": name.upper(),
        "dependencies": repr(_latest_core_migrations()),
    }


#: the template files: ``template/<path>.tmpl``, with ``$name``-style placeholders (``$$`` is ``$``)
TEMPLATE = Path(__file__).parent / "template"


def template_files() -> dict[str, str]:
    """Template path (placeholders unfilled) → template text."""
    return {
        str(file.relative_to(TEMPLATE))[: -len(".tmpl")]: file.read_text(encoding="utf-8")
        for file in sorted(TEMPLATE.rglob("*.tmpl"))
    }


def render(name: str, label: str) -> dict[str, str]:
    """The files of a new plugin, path → content."""
    values = substitutions(name, label)
    return {
        Template(path).substitute(values): Template(text).substitute(values)
        for path, text in template_files().items()
    }


def create_plugin(name: str, label: str, parent: Path) -> Path:
    """Write a new plugin's folder under ``parent``; refuses an invalid name or an existing folder."""
    if not NAME.match(name):
        raise ValueError("plugin name: lower-case letters, digits and _ (2–31 characters, a letter first)")
    target = parent / substitutions(name, label)["distribution"]
    if target.exists():
        raise FileExistsError(f"{target} exists")
    for path, text in render(name, label).items():
        file = target / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")
    return target
