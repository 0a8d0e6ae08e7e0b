"""The import report: every page converted, every string aligned, everything kept as-is.

Nothing the importer meets is dropped without an entry here; the report is written to
``OUT/IMPORT-REPORT.md`` and summarised on screen.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

#: Entry kinds, in the order the report lists them.
SECTIONS = {
    "error": "Problems (not imported or imported partly)",
    "kept": "Kept as-is (raw HTML, Liquid, widgets): check these by hand",
    "unaligned": "Strings the translations could not be aligned with",
    "converted": "Conversions worth checking",
    "excluded": "Not published by Jekyll (exclude:, drafts, published: false): not imported",
}


@dataclass(frozen=True)
class Entry:
    """One line of the report: *kind* is a key of :data:`SECTIONS`; *where* is
    ``file:line`` (or just ``file``) in the Jekyll site or the output project."""

    kind: str
    where: str
    message: str


@dataclass
class Report:
    """Collects entries while the import runs, and renders them."""

    site: Path
    entries: list[Entry] = field(default_factory=list)
    pages: list[tuple[str, str, list[str]]] = field(default_factory=list)
    #: language -> (strings aligned, strings in the root language)
    aligned: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: image path -> where it is first used (images the site does not contain)
    missing_images: dict[str, str] = field(default_factory=dict)
    #: the sentence ledger (``--check``): language -> (sentences, found, accounted, lost)
    ledger: dict[str, tuple[int, int, int, int]] | None = None
    #: sentences not in the built HTML: (language, file:line, text, reason or None: lost)
    sentences: list[tuple[str, str, str, str | None]] = field(default_factory=list)

    def missing_image(self, image: str, path: Path, line: int | None) -> None:
        """Record an image the pages use but the site folder does not contain."""
        where = self.relative(path) + (f":{line}" if line else "")
        self.missing_images.setdefault(image, where)

    def add(self, kind: str, path: Path | str, line: int | None, message: str) -> None:
        """Record *message* about *path* (absolute or site-relative) at *line*."""
        where = self.relative(path)
        if line:
            where = f"{where}:{line}"
        entry = Entry(kind, where, message)
        if entry not in self.entries:
            self.entries.append(entry)

    def relative(self, path: Path | str) -> str:
        """*path* relative to the site, as the report shows it."""
        path = Path(path)
        try:
            return path.relative_to(self.site).as_posix()
        except ValueError:
            return path.as_posix()

    def counts(self) -> Counter[str]:
        return Counter(entry.kind for entry in self.entries)

    def markdown(self) -> str:
        """The whole report as Markdown (``IMPORT-REPORT.md``)."""
        lines = [f"# Import report: {self.site.name}", "", "## Pages converted", ""]
        lines += ["| source page | Sphinx document | translations from |", "|---|---|---|"]
        for source, docname, twins in self.pages:
            translations = ", ".join(f"`{twin}`" for twin in twins) or "—"
            lines.append(f"| `{source}` | `{docname}` | {translations} |")
        lines += ["", "## Strings aligned per language", ""]
        for language, (done, total) in sorted(self.aligned.items()):
            lines.append(f"- `{language}`: {done} of {total} strings")
        if not self.aligned:
            lines.append("- (one language only: nothing to align)")
        for kind, heading in SECTIONS.items():
            entries = [entry for entry in self.entries if entry.kind == kind]
            lines += ["", f"## {heading}", ""]
            lines += [f"- `{entry.where}`: {_md_escape(entry.message)}" for entry in entries]
            if not entries:
                lines.append("- none")
        lines += self._ledger_lines()
        lines += ["", f"## Images not in the site ({len(self.missing_images)})", "",
                  "Copy them into the project (same path) or the build warns about each.", ""]
        lines += [f"- `{image}` (first used in `{where}`)"
                  for image, where in sorted(self.missing_images.items())]
        if not self.missing_images:
            lines.append("- none")
        return "\n".join(lines) + "\n"

    def _ledger_lines(self) -> list[str]:
        lines = ["", "## Sentence ledger", ""]
        if self.ledger is None:
            return [*lines, "- not checked: run `gbifnode import-jekyll SITE OUT --check`"]
        if not self.ledger:
            return [*lines, "- no page, no sentence"]
        lines += ["| language | sentences | found in the HTML | accounted for | lost |",
                  "|---|---|---|---|---|"]
        lines += [f"| `{language}` | {total} | {found} | {accounted} | {lost} |"
                  for language, (total, found, accounted, lost) in sorted(self.ledger.items())]
        lost = [item for item in self.sentences if item[3] is None]
        accounted = [item for item in self.sentences if item[3] is not None]
        lines += ["", f"### Sentences lost ({len(lost)})", ""]
        lines += [f"- `{where}` ({language}): {_md_escape(text)}"
                  for language, where, text, _reason in lost] or ["- none"]
        lines += ["", f"### Sentences not in the HTML, with their reason ({len(accounted)})",
                  ""]
        lines += [f"- `{where}` ({language}): {_md_escape(text)} — {_md_escape(str(reason))}"
                  for language, where, text, reason in accounted] or ["- none"]
        return lines

    def ledger_summary(self) -> str:
        """The ledger's totals, one line per language, for the terminal."""
        if not self.ledger:
            return "no page, no sentence"
        lines = []
        for language, (total, found, accounted, lost) in sorted(self.ledger.items()):
            share = f"{100 * found / total:.1f} %" if total else "-"
            lines.append(f"{language}: {total} sentences, {found} found in the HTML ({share}), "
                         f"{accounted} accounted for in the report, {lost} lost")
        for language, where, text, reason in self.sentences:
            if reason is None:
                shown = "".join(c for c in " ".join(text.split()) if c.isprintable())
                lines.append(f"  lost: {where} ({language}): {shown[:120]}")
        return "\n".join(lines)

    def summary(self) -> str:
        """A few lines for the terminal."""
        counts = self.counts()
        lines = [f"{len(self.pages)} pages converted"]
        for language, (done, total) in sorted(self.aligned.items()):
            lines.append(f"{language}: {done}/{total} strings aligned")
        lines.append(
            f"{counts['error']} problems, {counts['kept']} kept as-is, "
            f"{counts['unaligned']} unaligned strings, {counts['converted']} conversion notes, "
            f"{len(self.missing_images)} images not in the site"
        )
        for entry in self.entries:
            if entry.kind == "error":
                lines.append(f"  problem: {entry.where}: {entry.message}")
        return "\n".join(lines)


def _md_escape(text: str) -> str:
    # Messages quote page text, which may hold Markdown or HTML: show it, never run it.
    text = " ".join(text.split())
    if len(text) > 160:
        text = text[:157] + "..."
    for char in "\\*_[]|":
        text = text.replace(char, "\\" + char)
    return text.replace("`", "'").replace("<", "&lt;")
