"""Typed ``gbifnode_*`` settings: each is declared with what it accepts, checked once
``conf.py`` has been read, and a wrong value is a warning at its line of ``conf.py``
(the default is used instead), never a traceback later in the build.

A module declares its settings as :class:`Setting` rows and registers them with
:func:`add_settings`. The check runs before Sphinx's own type check, so a wrong value
is reported once, by us, with its place.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .logs import warn
from .urls import is_remote, safe_url

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

#: A language code as Sphinx and gettext write them: ``en``, ``fr``, ``zh_CN``, ``pt-BR``.
LANGUAGE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")
#: What a change of the value rebuilds, as Sphinx's ``add_config_value`` takes it.
Rebuild = Literal["", "env", "html"]


@dataclass(frozen=True)
class Setting:
    """One ``conf.py`` value: its default, when a change rebuilds (``env``, ``html`` or
    ``""``), the types Sphinx records, what it expects in words (for the message),
    ``accept``, which returns the value to use or raises :class:`ValueError`, and the
    value used instead of a wrong one (the default unless ``fallback`` says)."""

    name: str
    default: Any
    rebuild: Rebuild
    types: tuple[type, ...]
    expects: str
    accept: Callable[[Any], Any]
    fallback: Any = ...

    @property
    def instead(self) -> Any:
        """The value used in place of a wrong one (a fresh copy of a list default)."""
        value = self.default if self.fallback is ... else self.fallback
        return list(value) if isinstance(value, list) else value


# --- what a value may be -------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def seconds(minimum: float = 0.0, above: bool = False, infinite: bool = False
            ) -> Callable[[Any], float | int]:
    """A number of seconds, at least *minimum* (greater with *above*)."""
    def accept(value: Any) -> float | int:
        if not _is_number(value) or math.isnan(value):
            raise ValueError("not a number")
        if math.isinf(value) and not infinite:
            raise ValueError("not a finite number")
        if value < minimum or (above and value == minimum):
            raise ValueError("out of range")
        number: float | int = value
        return number
    return accept


def count(value: Any) -> int:
    """A whole number, zero or more."""
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ValueError("not a whole number, zero or more")
    return value


def flag(value: Any) -> bool:
    """``True`` or ``False`` (a string such as ``"False"`` would read as true)."""
    if not isinstance(value, bool):
        raise ValueError("not True or False")
    return value


def optional_flag(value: Any) -> bool | None:
    """``True``, ``False`` or ``None`` (let the extension decide)."""
    return None if value is None else flag(value)


def http_url(value: Any) -> str:
    """An ``http(s)://`` URL."""
    if not isinstance(value, str) or safe_url(value) is None or not is_remote(value.strip()):
        raise ValueError("not an http(s) URL")
    return value.strip()


def folder(value: Any) -> str:
    """A folder path (text or a path object), not empty."""
    if isinstance(value, Path):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError("not a folder path")
    return value


def optional_folder(value: Any) -> str | None:
    """A folder path, or None (also for ``""``) when there is none."""
    return None if value is None or value == "" else folder(value)


def language_list(value: Any) -> list[str]:
    """Language codes, each once: a list (``["en", "fr"]``) or ``"en,fr"`` (``-D``)."""
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, (list, tuple)):
        raise ValueError("not a list")
    codes = []
    for item in value:
        if not isinstance(item, str) or not LANGUAGE_CODE.match(item.strip()):
            raise ValueError(f"{item!r} is not a language code")
        code = item.strip()
        if code in codes:
            raise ValueError(f"{code!r} is listed twice")
        codes.append(code)
    return codes


# --- where a value was set -----------------------------------------------------------


def assignment_lines(conf_py: Path) -> dict[str, int]:
    """name -> the line of its last top-level assignment in *conf_py* (empty when the
    file cannot be read or parsed: then messages name the file only)."""
    try:
        tree = ast.parse(conf_py.read_bytes(), filename=str(conf_py))
    except (OSError, SyntaxError, ValueError):
        return {}
    lines: dict[str, int] = {}
    for statement in tree.body:
        targets: Iterable[ast.expr] = ()
        if isinstance(statement, ast.Assign):
            targets = statement.targets
        elif isinstance(statement, (ast.AnnAssign, ast.AugAssign)):
            targets = (statement.target,)
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name):
                    lines[node.id] = statement.lineno
    return lines


def setting_location(confdir: str | Path | None, name: str) -> str | None:
    """``/site/conf.py:12`` for the line that sets *name* (``/site/conf.py`` when no line
    does), or None without a conf.py."""
    if confdir is None:
        return None
    conf_py = Path(confdir, "conf.py")
    if not conf_py.is_file():
        return None
    line = assignment_lines(conf_py).get(name)
    return f"{conf_py}:{line}" if line else str(conf_py)


def problem_with(setting: Setting, value: Any) -> str | None:
    """Why *value* is wrong for *setting*, or None when it is accepted."""
    try:
        setting.accept(value)
    except ValueError as exc:
        return f"{setting.name} = {value!r}: expected {setting.expects} ({exc})"
    return None


# --- registration --------------------------------------------------------------------


def add_settings(app: Sphinx, settings: Iterable[Setting], priority: int = 300) -> None:
    """Declare *settings* as config values, checked when conf.py has been read (with
    *priority* on ``config-inited``: before every handler that reads them)."""
    rows = tuple(settings)
    for setting in rows:
        app.add_config_value(setting.name, setting.default, setting.rebuild,
                             types=setting.types)

    def check(app: Sphinx, config: Config) -> None:
        check_settings(config, rows, app.confdir)

    # Before Sphinx's own type check (priority 800) and before our handlers that use
    # the values (500): they only ever see accepted values.
    app.connect("config-inited", check, priority=priority)


def check_settings(config: Config, settings: Iterable[Setting], confdir: Any) -> None:
    """Replace every wrong value by its default, with a warning at its conf.py line."""
    for setting in settings:
        value = getattr(config, setting.name)
        try:
            accepted = setting.accept(value)
        except ValueError as exc:
            from_command_line = setting.name in config.overrides
            warn(
                "%s = %r: expected %s (%s); using %r instead",
                setting.name, value, setting.expects, exc, setting.instead,
                subtype="config",
                location=None if from_command_line else setting_location(
                    confdir, setting.name),
            )
            setattr(config, setting.name, setting.instead)
        else:
            if accepted is not value:
                setattr(config, setting.name, accepted)
