"""A YAML list from a directive body or a data file, each item with its line, so that a
warning about one item names the line it is on. Read strictly (:mod:`.yaml_data`:
duplicate keys and runaway aliases are refused)."""

from __future__ import annotations

from typing import Any

import yaml

from .yaml_data import YamlProblem, load_yaml

__all__ = ["YamlProblem", "load_yaml_list"]


def load_yaml_list(text: str, what: str, example: str, key: str | None = None
                   ) -> list[tuple[Any, int]]:
    """Parse *text* as a YAML list; return (item, 0-based line) pairs.

    A mapping holding the list under *key* (``partners: [...]`` in a data file, which
    leaves room for other keys) is read as that list. *what* and *example* name the
    items in the message when the text is not a list."""
    data, root = load_yaml(text)
    if data is None:
        return []
    if key is not None and isinstance(data, dict) and key in data:
        data = data[key]
        assert isinstance(root, yaml.MappingNode)
        root = next(v for k, v in root.value if k.value == key)
    if not isinstance(data, list):
        raise YamlProblem(f"the {what} list must be a YAML list of mappings ('{example}')", 0)
    assert isinstance(root, yaml.SequenceNode)
    return [(item, node.start_mark.line) for item, node in zip(data, root.value, strict=True)]
