"""Pages in Chinese and Japanese read as their readers expect.

- A line break inside a paragraph is a space in HTML. Between two CJK characters that
  space is wrong ("数据。 目前"): Chinese and Japanese put no space between words, so a
  source line wrapped in the middle of a sentence shows a gap. The soft line break is
  removed there, and only there (Latin words, literals and Korean, which does separate
  words with spaces, keep theirs).
- docutils makes a section id from its title's ASCII letters only, so every heading in
  Chinese, Russian or Greek becomes ``id1``, ``id2``: links to them break as soon as a
  heading is added above. Such sections get an id made of the title itself
  (``#数据共享``), which is valid HTML, readable in the address bar and stable.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Han ideographs, CJK punctuation, kana, bopomofo, full-width forms. Not Hangul.
_CJK = (
    "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u31a0-\u31ff\u3400-\u4dbf"
    "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
#: A soft line break (with the indentation around it) between two CJK characters.
_CJK_BREAK = re.compile(f"(?<=[{_CJK}])[ \\t]*\\n[ \\t]*(?=[{_CJK}])")
#: Nodes whose text is shown as written.
_LITERAL = (nodes.literal_block, nodes.literal, nodes.raw, nodes.math, nodes.math_block,
            nodes.doctest_block, nodes.comment)
#: The ids docutils gives a section whose title has no ASCII letter.
_AUTO_ID = re.compile(r"^id\d+$")


def join_cjk_lines(text: str) -> str:
    """*text* without the soft line breaks that stand between two CJK characters."""
    if "\n" not in text or not _CJK_CHAR.search(text):
        return text
    return _CJK_BREAK.sub("", text)


class JoinCJKLines(SphinxTransform):
    """Remove soft line breaks between CJK characters, after translation (so a French
    page quoting Chinese, and a Chinese translation of any page, are both handled).

    MyST keeps a soft break as a Text node of its own, between the Text nodes of the two
    lines (and an emphasis may end or start a line), so each block's Text nodes are read
    in order, each seeing the characters just before and after it."""

    # After the i18n transform (20) has put the translations in.
    default_priority = 400

    def apply(self, **kwargs: Any) -> None:
        for block in self.document.findall(nodes.TextElement):
            if isinstance(block, nodes.Inline) or _in_literal(block):
                continue
            texts = [t for t in block.findall(nodes.Text) if not _in_literal(t.parent)]
            if not any("\n" in t for t in texts):
                continue
            words = [str(t) for t in texts]
            for index, text in enumerate(texts):
                if "\n" not in words[index]:
                    continue
                before = next((w.rstrip()[-1:] for w in reversed(words[:index]) if w.strip()),
                              " ")
                after = next((w.lstrip()[:1] for w in words[index + 1:] if w.strip()), " ")
                joined = join_cjk_lines(before + words[index] + after)[1:-1]
                if joined != words[index] and text.parent is not None:
                    words[index] = joined
                    text.parent.replace(text, nodes.Text(joined))


def _in_literal(node: nodes.Node | None) -> bool:
    while node is not None:
        if isinstance(node, _LITERAL):
            return True
        node = node.parent
    return False


def readable_id(title: str) -> str:
    """An HTML id made of the title's own letters: ``数据 共享`` -> ``数据-共享``."""
    text = unicodedata.normalize("NFKC", title).strip().lower()
    text = re.sub(r"[\s\u3000]+", "-", text)
    # Keep letters, digits, marks and joiners of any script; drop punctuation.
    kept = "".join(
        char for char in text
        if char == "-" or unicodedata.category(char)[0] in "LNM"
    )
    return re.sub(r"-{2,}", "-", kept).strip("-")


class ReadableSectionIds(SphinxTransform):
    """Give sections whose title has no ASCII letter an id made from the title."""

    # After translation (20) and before the references to sections are resolved.
    default_priority = 410

    def apply(self, **kwargs: Any) -> None:
        document = self.document
        for section in document.findall(nodes.section):
            ids = section["ids"]
            if not ids or not _AUTO_ID.match(ids[0]) or not section.children:
                continue
            title = section[0]
            if not isinstance(title, nodes.title):
                continue
            base = readable_id(title.astext())
            if not base or base.isascii():
                continue
            candidate, number = base, 1
            while candidate in document.ids:
                number += 1
                candidate = f"{base}-{number}"
            old = ids[0]
            ids[0] = candidate
            document.ids[candidate] = section
            document.ids.pop(old, None)
            # Links docutils already made to the old id (a title reference) follow it.
            for reference in document.findall(nodes.reference):
                if reference.get("refid") == old:
                    reference["refid"] = candidate
            for target in document.findall(nodes.Element):
                if old in target.get("backrefs", ()):
                    target["backrefs"] = [candidate if b == old else b
                                          for b in target["backrefs"]]


def setup(app: Sphinx) -> None:
    app.add_transform(JoinCJKLines)
    app.add_transform(ReadableSectionIds)
