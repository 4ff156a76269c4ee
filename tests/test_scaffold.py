"""`zhibu plugin new` writes a plugin that passes its own tests as generated, and
`zhibu plugin makemigrations` works for it from its own folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environ = {**os.environ, **env}
    return subprocess.run(args, cwd=cwd, env=environ, capture_output=True, text=True, timeout=300)


def zhibu(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess:
    return run(sys.executable, "-m", "core.cli", *args, cwd=cwd, **env)


def test_a_new_plugin_passes_its_own_tests_and_makes_its_migrations(tmp_path):
    done = zhibu("plugin", "new", "campus", "--label", "高校党建", "--dir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "zhibu-campus"
    files = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert {
        "pyproject.toml",
        "zhibu_campus/__init__.py",
        "zhibu_campus/models.py",
        "zhibu_campus/migrations/0001_initial.py",
        "zhibu_campus/graphql.py",
        "zhibu_campus/standards.py",
        "tests/test_campus.py",
        "tests/test_contract.py",
    } <= files
    assert 'campus = "zhibu_campus"' in (folder / "pyproject.toml").read_text(encoding="utf-8")

    # load it as installed (entry point aside: it is not pip-installed here)
    plugin_env = {
        "ZHIBU_EXTRA_PLUGINS": "campus=zhibu_campus",
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
    }
    tests = run(
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-k",
        "not entry_point",
        cwd=folder,
        **plugin_env,
    )
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    # its own four tests (its tenant domain included), and the contract checks over its query and
    # mutation: matrix (2), isolation (2), audit trail (1), every contributed field listed (1)
    assert "10 passed" in tests.stdout, tests.stdout[-3000:]

    made = zhibu("plugin", "makemigrations", "campus", cwd=folder, **plugin_env)
    assert made.returncode == 0 and "campus: no changes" in made.stdout, made.stderr
    models = folder / "zhibu_campus" / "models.py"
    models.write_text(
        models.read_text(encoding="utf-8").replace(
            "    held_on = fields.DateField()\n",
            '    held_on = fields.DateField()\n    place = fields.CharField(max_length=100, default="")\n',
        ),
        encoding="utf-8",
    )
    made = zhibu("plugin", "makemigrations", "campus", "--name", "add_place", cwd=folder, **plugin_env)
    assert made.returncode == 0, made.stderr
    assert (folder / "zhibu_campus" / "migrations" / "0002_add_place.py").exists()


def test_bad_names_and_existing_folders_are_refused(tmp_path):
    for name in ("Campus", "1x", "a-b", "x"):
        done = zhibu("plugin", "new", name, "--dir", str(tmp_path))
        assert done.returncode == 2 and "plugin name" in done.stderr, (name, done.stderr)
    assert zhibu("plugin", "new", "campus", "--dir", str(tmp_path)).returncode == 0
    again = zhibu("plugin", "new", "campus", "--dir", str(tmp_path))
    assert again.returncode == 2 and "exists" in again.stderr
    missing = zhibu("plugin", "makemigrations", "nosuchapp")
    assert missing.returncode == 2 and "no installed plugin declares" in missing.stderr
