"""Partner-grid YAML that would crash a build, blow it up or lose data silently: each is
a warning at the line of the YAML (in the page or in the ``:data:`` file), and the rest
of the page still builds."""

from __future__ import annotations

from pathlib import Path

import pytest
from faultkit import Built, build_once, line_of
from helpers import make_project

#: 500 bytes that stand for 9**9 (387 million) strings if aliases were expanded.
LAUGHS = """- name: Laughs
  l1: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  l2: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  l3: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  l4: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  l5: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  l6: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  l7: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  l8: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  alt: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

#: (test id, YAML in a grid's body, text unique to the faulty line, what the warning says)
BODY_FAULTS = [
    ("duplicate-name", "- name: First\n  name: Second # dup-name\n", "# dup-name",
     "partner-grid: duplicate key 'name' (also given 1 line(s) above)"),
    ("duplicate-partners-key", "partners:\n  - name: A\npartners: # dup-partners\n  - name: B\n"
     "  - name: C\n", "# dup-partners", "partner-grid: duplicate key 'partners' (also given 2"),
    ("duplicate-in-flow-mapping", "- {name: A, url: a, url: b} # dup-flow\n", "# dup-flow",
     "partner-grid: duplicate key 'url' (also given on the same line)"),
    ("billion-laughs", LAUGHS, '  l5: &e', "partner-grid: the aliases (*name) expand to "
     "more than 100000 values"),
    ("alias-loop", "- &me\n  name: Loop\n  self: *me # loop\n", "- &me",
     "partner-grid: an alias refers to the list or mapping that contains it"),
    ("nested-too-deep", "- name: Deep\n  alt: " + "[" * 3000 + "]" * 3000 + "\n", None,
     "partner-grid: malformed YAML"),
    ("partners-not-a-list", "partners: 5 # not-a-list\n", "# not-a-list",
     "partner-grid: 'partners' must be a YAML list"),
    ("name-number", "- name: 2024 # name-int\n", "# name-int",
     "partner-grid: 'name' must be a string (quote it), got 2024 (int); ignored"),
    ("name-bool", "- name: yes # name-bool\n", "# name-bool",
     "partner-grid: 'name' must be a string (quote it), got True (bool); ignored"),
    ("url-number", "- name: Url number # url-int\n  url: 42\n", "# url-int",
     "partner-grid: 'url' must be a string (quote it), got 42 (int); ignored"),
    ("logo-list", "- name: Logo list # logo-list\n  logo: [a.png, b.png]\n", "# logo-list",
     "partner-grid: 'logo' must be a string (quote it), got ['a.png', 'b.png'] (list)"),
    ("alt-mapping", "- name: Alt map # alt-map\n  logo: _static/rbins.png\n  alt: {a: 1}\n",
     "# alt-map", "partner-grid: 'alt' must be a string (quote it), got {'a': 1} (dict)"),
    ("date-name", "- name: 2024-01-01 # name-date\n", "# name-date",
     "partner-grid: 'name' must be a string (quote it), got datetime.date(2024, 1, 1) (date)"),
]

#: (test id, data file name, its YAML, text unique to the faulty line, the warning)
DATA_FAULTS = [
    ("data-duplicate-url", "dup-url.yml", "- name: A\n  url: https://a.example\n"
     "  url: https://b.example # dup\n", "# dup", "partner-grid: duplicate key 'url'"),
    ("data-duplicate-partners", "dup-partners.yml", "partners:\n  - name: A\n"
     "partners: # dup\n  - name: B\n", "# dup", "partner-grid: duplicate key 'partners'"),
    ("data-billion-laughs", "laughs.yml", LAUGHS, "  l5: &e",
     "partner-grid: the aliases (*name) expand to more than 100000 values"),
    ("data-name-number", "number.yml", "- name: 1830 # int\n", "# int",
     "partner-grid: 'name' must be a string (quote it), got 1830 (int)"),
]

GOOD_GRID = ":::{partner-grid}\n:captions:\n- name: Still shown\n  url: https://ok.example\n:::\n"


@pytest.fixture(scope="module")
def yaml_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    root = tmp_path_factory.mktemp("yaml")
    page = ["# Partner YAML faults\n"]
    for _case, body, _marker, _message in BODY_FAULTS:
        page.append(f"\n:::{{partner-grid}}\n{body}:::\n")
    data = {}
    for _case, name, text, _marker, _message in DATA_FAULTS:
        page.append(f"\n:::{{partner-grid}}\n:data: {name}\n:::\n")
        data[name] = text
    # A grid with merge keys is valid YAML: later keys override what ``<<`` brings.
    page.append("\n:::{partner-grid}\n:captions:\n- &base\n  name: Merged base\n"
                "  url: https://base.example\n- <<: *base\n  name: Merged override\n:::\n")
    page.append("\n" + GOOD_GRID + "\nAfter the grids.\n")
    srcdir = make_project(root / "src", {"index.md": "".join(page), **data})
    return srcdir, build_once(srcdir)


def _assert_located(built: Built, path: Path, marker: str | None, message: str) -> None:
    if marker is None:
        assert f"WARNING: {message}" in built.warnings, built.warnings
    else:
        expected = f"{path}:{line_of(path, marker)}: WARNING: {message}"
        assert expected in built.warnings, built.warnings
    assert "Traceback" not in built.warnings and "Exception occurred" not in built.warnings


@pytest.mark.parametrize(("marker", "message"), [case[2:] for case in BODY_FAULTS],
                         ids=[case[0] for case in BODY_FAULTS])
def test_body_fault_is_a_located_warning(yaml_build, marker: str | None, message: str) -> None:
    srcdir, built = yaml_build
    _assert_located(built, srcdir / "index.md", marker, message)


@pytest.mark.parametrize(("name", "marker", "message"),
                         [(case[1], *case[3:]) for case in DATA_FAULTS],
                         ids=[case[0] for case in DATA_FAULTS])
def test_data_file_fault_is_a_located_warning(yaml_build, name: str, marker: str,
                                              message: str) -> None:
    srcdir, built = yaml_build
    _assert_located(built, srcdir / name, marker, message)


def test_the_page_stays_small_and_the_rest_builds(yaml_build) -> None:
    _srcdir, built = yaml_build
    page = built.page()
    assert len(page) < 100_000  # the aliases were refused, not expanded into the page
    assert "lol" not in page
    assert ">Still shown</span>" in page and "After the grids." in page
    assert ">Merged base</span>" in page and ">Merged override</span>" in page
    assert page.count('href="https://base.example"') == 2
