"""A YAML list from a directive body or a data file, each item with its line, so that a
warning about one item names the line it is on."""

from __future__ import annotations

from typing import Any

import yaml


class YamlProblem(Exception):
    """Malformed YAML or not a list; ``line`` is the 0-based line of the fault."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def load_yaml_list(text: str, what: str, example: str, key: str | None = None
                   ) -> list[tuple[Any, int]]:
    """Parse *text* as a YAML list; return (item, 0-based line) pairs.

    A mapping holding the list under *key* (``partners: [...]`` in a data file, which
    leaves room for other keys) is read as that list. *what* and *example* name the
    items in the message when the text is not a list."""
    try:
        loader = yaml.SafeLoader(text)
        try:
            root = loader.get_single_node()
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line if mark is not None else 0
        problem = exc.problem or str(exc)
        raise YamlProblem(f"malformed YAML: {problem}", line) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"malformed YAML: {exc}", 0) from None
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
