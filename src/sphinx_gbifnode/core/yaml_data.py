"""Reading YAML that people write by hand (partner lists, data files) strictly.

PyYAML's ``safe_load`` keeps the last of two equal keys without a word, and expands
aliases without limit: 500 bytes of nested ``&anchor``/``*alias`` pairs ("billion
laughs") stand for a billion values, and anything that walks or prints the result runs
out of memory. :func:`load_yaml` refuses both, naming the line.
"""

from __future__ import annotations

from typing import Any

import yaml

#: The most values (scalars, lists and mappings, each alias counted as the copy it
#: stands for) a YAML document may expand to: 100 times a large partner list.
MAX_VALUES = 100_000


class YamlProblem(Exception):
    """YAML that cannot be used; ``line`` is 0-based within the text that was read."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message, self.line = message, line


def load_yaml(text: str, max_values: int = MAX_VALUES) -> tuple[Any, yaml.Node | None]:
    """Parse one YAML document; return its data and its node tree (for line numbers).

    Raises :class:`YamlProblem` for malformed YAML, a key given twice in one mapping,
    and aliases that expand beyond *max_values* values or refer to themselves.
    """
    loader = yaml.SafeLoader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _check_tree(root, max_values)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or str(exc)
        raise YamlProblem(f"malformed YAML: {problem}", mark.line if mark else 0) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"malformed YAML: {exc}", 0) from None
    except RecursionError:
        raise YamlProblem("malformed YAML: nested too deeply", 0) from None
    finally:
        loader.dispose()
    return data, root


def _check_tree(root: yaml.Node, max_values: int) -> None:
    """Duplicate keys, self-referring aliases and the expanded size, in one walk that
    visits each node once (an alias is the same node object as its anchor)."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if id(node) in open_nodes:
            raise YamlProblem(
                "an alias refers to the list or mapping that contains it", node.start_mark.line
            )
        total = 1
        if isinstance(node, yaml.SequenceNode | yaml.MappingNode):
            open_nodes.add(id(node))
            if isinstance(node, yaml.MappingNode):
                _check_keys(node)
                children = [part for pair in node.value for part in pair]
            else:
                children = list(node.value)
            for child in children:
                total += size(child)
                if total > max_values:
                    raise YamlProblem(
                        f"the aliases (*name) expand to more than {max_values} values; write "
                        "the data out instead of repeating anchors", child.start_mark.line,
                    )
            open_nodes.discard(id(node))
        sizes[id(node)] = total
        return total

    size(root)


def _check_keys(mapping: yaml.MappingNode) -> None:
    seen: dict[tuple[str, str], int] = {}
    for key, _value in mapping.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue  # ``<<: *base`` merges; later keys may override what it brings
        line = key.start_mark.line
        first = seen.get((key.tag, key.value))
        if first is not None:
            where = "on the same line" if first == line else f"{line - first} line(s) above"
            raise YamlProblem(
                f"duplicate key {key.value!r} (also given {where}): YAML would silently "
                "keep only the last one", line,
            )
        seen[(key.tag, key.value)] = line
