"""The committed lock covers what pyproject.toml asks for, within its ranges."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {
    "requirements/lock.txt": ("test", "lint"),
    "requirements/lock-sphinx8.txt": ("test",),
}


def pinned(lock: Path) -> dict[str, list[str]]:
    """Package name -> the exact versions a lock pins (one per Python-version marker)."""
    versions: dict[str, list[str]] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9_.-]+)==([^\s;]+)", line)
        if match:
            versions.setdefault(canonicalize_name(match[1]), []).append(match[2])
    return versions


@pytest.mark.parametrize("lock_name", sorted(LOCKS))
def test_lock_pins_every_requirement_within_its_range(lock_name: str) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = list(project["dependencies"])
    extras = list(LOCKS[lock_name])
    while extras:
        for text in project["optional-dependencies"][extras.pop()]:
            requirement = Requirement(text)
            if canonicalize_name(requirement.name) == canonicalize_name(project["name"]):
                extras.extend(requirement.extras)  # an extra that pulls in another one
            else:
                wanted.append(text)
    versions = pinned(ROOT / lock_name)
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        found = versions.get(canonicalize_name(requirement.name))
        if not found:
            problems.append(f"{requirement.name} is not pinned")
        elif not all(requirement.specifier.contains(v, prereleases=True) for v in found):
            problems.append(f"{requirement.name}=={found} is outside {requirement.specifier}")
    assert not problems, f"{lock_name}: {problems}; run `make lock`"


def test_sphinx8_lock_pins_sphinx_8() -> None:
    assert all(v.startswith("8.") for v in pinned(ROOT / "requirements/lock-sphinx8.txt")["sphinx"])
