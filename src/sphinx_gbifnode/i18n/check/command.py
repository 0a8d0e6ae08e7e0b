"""``gbifnode i18n check SRC``: print every problem of the catalogues (and, with
``--built``, of the built pages) as ``file:line``, then a summary; exit 1 on errors."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from ...core.errors import CommandError
from ...core.locale import split_languages
from ..project import load_project
from .built import compare_built, format_built_problem
from .catalogue import KINDS, Problem, check_languages, language_of


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``gbifnode i18n check``."""
    parser.add_argument(
        "src",
        metavar="SRC",
        help="the Sphinx source folder (with conf.py), or .po files or a folder of them",
    )
    parser.add_argument(
        "--languages",
        metavar="LANG[,LANG...]",
        action="append",
        help="only these languages (e.g. --languages fr,de; may be repeated); default: "
        "every translated language",
    )
    parser.add_argument(
        "--built",
        metavar="OUT",
        help="also compare the built pages OUT/<lang>/ with the default language's "
        "(images, links, headings)",
    )


def _catalogues(src: Path, languages: list[str] | None) -> tuple[str | None, dict[str, list[Path]]]:
    """(default language or None, catalogues per language) for SRC."""
    if (src / "conf.py").is_file():
        project = load_project(src)
        wanted = project.translated_languages
        if languages:
            unknown = [lang for lang in languages if lang not in project.languages]
            if unknown:
                raise CommandError(
                    f"{src}: no catalogues for {', '.join(unknown)} (languages found: "
                    f"{', '.join(project.languages)})"
                )
            wanted = [lang for lang in languages if lang != project.default_language]
        return project.default_language, {lang: project.catalog_files(lang) for lang in wanted}
    if src.is_file():
        files = [src]
    elif src.is_dir():
        files = sorted(src.rglob("*.po"))
    else:
        raise CommandError(f"{src}: no such file or folder")
    grouped: dict[str, list[Path]] = {}
    for path in files:
        lang = language_of(path)
        if not languages or lang in languages:
            grouped.setdefault(lang, []).append(path)
    return None, grouped


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _short(msgid: str, width: int = 70) -> str:
    text = " ".join(msgid.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_problem(problem: Problem) -> str:
    """``file.po:LINE: error [kind] "msgid": detail`` (one line, as compilers print)."""
    where = f"{_display(problem.path)}:{problem.line}"
    severity = "warning" if problem.warning else "error"
    if problem.kind == "catalogue":
        return f"{where}: {severity} [catalogue] {problem.detail}"
    return f'{where}: {severity} [{problem.kind}] "{_short(problem.msgid)}": {problem.detail}'


def _count(errors: int, warnings: int) -> str:
    text = f"{errors} error{'s' if errors != 1 else ''}"
    return text + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")


def run(args: argparse.Namespace) -> int:
    """``gbifnode i18n check``: print each problem and a summary; 1 when there are errors."""
    src = Path(args.src)
    languages = split_languages(args.languages)
    default, catalogues = _catalogues(src, languages or None)
    if not catalogues:
        print(f"{src}: no catalogues to check (no translated language found)")
    errors = warnings = 0
    summary: list[str] = []
    for language, reports in check_languages(catalogues):
        if not reports:
            summary.append(
                f"  {language}: no .po catalogues (only compiled .mo files): nothing to check"
            )
            continue
        problems = [p for r in reports for p in r.problems]
        for problem in problems:
            print(format_problem(problem))
        language_warnings = sum(p.warning for p in problems)
        errors += len(problems) - language_warnings
        warnings += language_warnings
        checked = sum(r.checked for r in reports)
        skipped = sum(r.fuzzy + r.untranslated for r in reports)
        broken = [r for r in reports if r.problems]
        summary.append(
            f"  {language}: {_count(len(problems) - language_warnings, language_warnings)} in "
            f"{len(broken)} of {len(reports)} catalogue{'s' if len(reports) != 1 else ''} "
            f"({checked} entries checked, {skipped} fuzzy or untranslated not checked)"
        )
        for report in broken:
            kinds = Counter(p.kind for p in report.problems)
            listing = ", ".join(f"{kinds[k]} {k}" for k in KINDS if k in kinds)
            summary.append(f"    {_display(report.path)}: {listing}")
    if args.built:
        built_problems, built_summary = compare_built(
            Path(args.built), default, list(catalogues) if languages else None
        )
        for built_problem in built_problems:
            print(format_built_problem(built_problem))
        errors += len(built_problems)
        summary.extend(built_summary)
    print("Summary:")
    for line in summary:
        print(line)
    print(f"{_count(errors, warnings)} found." if errors or warnings else "No problems found.")
    return 1 if errors else 0
