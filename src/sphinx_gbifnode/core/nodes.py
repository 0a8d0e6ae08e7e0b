"""Docutils node helpers shared by the directives: inline markup parsed in the page's own
syntax, translatable text nodes, a directive's body line, the page's front matter, and
what the components do in output formats other than HTML."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from docutils import nodes
from docutils.utils import new_document
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import get_filetype
from sphinx.util.docutils import LoggingReporter

if TYPE_CHECKING:
    from docutils.frontend import Values
    from docutils.parsers.rst import Directive
    from sphinx.environment import BuildEnvironment

#: The text node class a caller asks :func:`translatable_text` for, and gets back.
_Text = TypeVar("_Text", bound=nodes.TextElement)


def parse_inline(
    env: BuildEnvironment, settings: Values, text: str, source: str, line: int
) -> list[nodes.Node]:
    """Parse *text* as inline markup of the document's own language (MyST or rST).

    Used for strings that do not come through a directive (front matter, YAML), so that a
    licence line such as ``[CC BY 4.0](https://...)`` becomes a link in a Markdown page
    and ``CC BY 4.0 <https://...>`_`` in a reStructuredText page, exactly as the
    translated build will parse the ``msgstr``.
    """
    config = env.config
    filetype = get_filetype(config.source_suffix, source)
    doc = new_document(f"{source}:{line}", settings)
    doc.reporter = LoggingReporter.from_reporter(doc.reporter)
    registry: Any = getattr(env, "_registry", None) or env.app.registry
    try:  # Sphinx 9
        parser = registry.create_source_parser(filetype, config=config, env=env)
    except TypeError:  # Sphinx 8: create_source_parser(app, filename)
        parser = registry.create_source_parser(env.app, filetype)
    rst_prolog = config.rst_prolog
    config.rst_prolog = None  # the prolog belongs to whole pages, not to one string
    try:
        parser.parse(text, doc)
    finally:
        config.rst_prolog = rst_prolog
    if len(doc) and isinstance(doc[0], nodes.paragraph):
        return [child.deepcopy() for child in doc[0].children]
    return [nodes.Text(text)]


def content_first_line(directive: Directive) -> int:
    """The 1-based line of a directive's first body line, for warnings about its body.

    docutils gives ``content_offset`` as an absolute 0-based line; MyST gives it relative
    to the directive's own line."""
    if type(directive.state).__module__.startswith("myst_parser"):
        return directive.lineno + directive.content_offset + 1
    return directive.content_offset + 1


def translatable_text(
    node_class: type[_Text],
    rawsource: str,
    children: list[nodes.Node],
    source: str,
    line: int,
    **attributes: Any,
) -> _Text:
    """Make a text node that ``sphinx-build -b gettext`` extracts and the i18n transform
    translates: it needs ``rawsource`` (the msgid) and a source file and line."""
    node = node_class(rawsource, "", *children, **attributes)
    node.source, node.line = source, line
    return node


def front_matter_node(document: nodes.document) -> nodes.Element | None:
    """The field list that opens a page: MyST front matter, or an rST docinfo block
    (before Sphinx moves it into the page metadata)."""
    for child in document.children:
        if isinstance(child, nodes.field_list | nodes.docinfo):
            return child
        if not isinstance(child, nodes.comment | nodes.target | nodes.system_message):
            return None
    return None


def skip_node(translator: Any, node: nodes.Node) -> None:
    """A visitor that writes nothing for *node* nor for what it holds."""
    raise nodes.SkipNode


class PlainForOtherFormats(SphinxPostTransform):
    """LaTeX, text, man and Texinfo get a component as plain docutils nodes.

    Not for HTML (the components have their own visitors) nor for gettext (it needs the
    original nodes). A subclass names its ``node_classes``, replaced in that order, and
    says in :meth:`plain` what each node becomes.
    """

    default_priority = 200
    formats = ("latex", "text", "man", "texinfo")
    node_classes: ClassVar[tuple[type[nodes.Element], ...]] = ()

    def plain(self, node: nodes.Element) -> nodes.Node:
        """The plain nodes that stand for *node*."""
        raise NotImplementedError

    def run(self, **kwargs: Any) -> None:
        for node_class in self.node_classes:
            for node in list(self.document.findall(node_class)):
                node.replace_self(self.plain(node))
