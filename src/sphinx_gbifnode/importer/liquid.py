"""The little Liquid a hosted portal uses in content: ``{{ site.x }}`` and
``{{ site.data.images.X.src }}`` are resolved; tags (``{% include %}``) are not.

Jekyll only renders Liquid in page bodies, but the hosted-portal theme also renders it in
front matter (``background: "{{ site.data.images.X.src }}"``), so both go through here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

OUTPUT = re.compile(r"\{\{\s*(.*?)\s*\}\}")
TAG = re.compile(r"\{%.*?%\}")
_PATH = re.compile(r"^[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*$")


def lookup(context: dict[str, Any], expression: str) -> Any:
    """Value of a dotted *expression* (``site.data.images.YB02.src``), or ``None``.

    Filters (``| relative_url``) are ignored: the hosted-portal ones only adjust URLs.
    """
    path = expression.split("|", 1)[0].strip()
    if not _PATH.match(path):
        return None
    value: Any = context
    for part in re.findall(r"[\w-]+", path):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def render(
    text: str, context: dict[str, Any], unresolved: Callable[[str], None] | None = None
) -> str:
    """Replace every ``{{ expression }}`` that resolves to a string or number.

    Expressions that do not resolve stay in the text unchanged and are passed to
    *unresolved*, so the caller can list them in the report.
    """

    def replace(match: re.Match[str]) -> str:
        value = lookup(context, match.group(1))
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return str(value).strip()
        if unresolved is not None:
            unresolved(match.group(0))
        return match.group(0)

    return OUTPUT.sub(replace, text)


def render_tree(value: Any, context: dict[str, Any], unresolved: Callable[[str], None]) -> Any:
    """:func:`render` every string inside a YAML value (front matter, ``_data``)."""
    if isinstance(value, str):
        return render(value, context, unresolved) if "{{" in value else value
    if isinstance(value, list):
        return [render_tree(item, context, unresolved) for item in value]
    if isinstance(value, dict):
        return {key: render_tree(item, context, unresolved) for key, item in value.items()}
    return value
