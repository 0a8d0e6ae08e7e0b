"""Chinese sites: line breaks, section ids, language names and search, in real builds."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from helpers import build, html, warnings_of

from sphinx_gbifnode.core.locale import language_name
from sphinx_gbifnode.i18n.chinese_search import (
    EXTRA,
    has_jieba,
    stemmer_assignment_is_broken,
    stemmer_class_name,
)
from sphinx_gbifnode.i18n.cjk import join_cjk_lines, readable_id

CONF = """\
project = "GBIF 中国"
extensions = ["myst_parser", "sphinx_gbifnode"]
language = "zh_CN"
gbifnode_languages = ["zh_CN", "en"]
gbifnode_offline = True
html_theme = "{theme}"
"""

INDEX = """\
# 生物多样性数据

我们的节点共享生物多样性数据。
目前已有一百多个机构发布数据。

Open data
helps everyone.

```text
第一行
第二行
```

跳到[数据共享](#数据共享)一节，或者看*重点
内容*。

```{toctree}
guide
```

## 数据共享

数据发布者使用 IPT 发布数据集。

## 数据共享

同名的第二节。

## Участники

Русский заголовок.
"""

GUIDE = """\
# 使用指南

物种名录和标本数据都可以在这里检索。
"""


def zh_project(root: Path, theme: str = "alabaster") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(CONF.format(theme=theme), encoding="utf-8")
    (root / "index.md").write_text(INDEX, encoding="utf-8")
    (root / "guide.md").write_text(GUIDE, encoding="utf-8")
    return root


# --- pieces --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "joined"),
    [
        ("数据。\n目前", "数据。目前"),
        ("数据\n  目前", "数据目前"),
        ("Open\ndata", "Open\ndata"),
        ("数据\nGBIF", "数据\nGBIF"),
        ("한국어\n문장", "한국어\n문장"),  # Korean separates words with spaces
        ("データ\nです", "データです"),
    ],
)
def test_soft_breaks_between_cjk_characters_only(text: str, joined: str) -> None:
    assert join_cjk_lines(text) == joined


def test_readable_ids() -> None:
    assert readable_id("数据 共享") == "数据-共享"
    assert readable_id("数据共享：简介") == "数据共享简介"
    assert readable_id("Участники") == "участники"


@pytest.mark.parametrize(
    ("code", "name"),
    [("zh_CN", "简体中文"), ("zh-CN", "简体中文"), ("zh_TW", "繁體中文"), ("zh", "中文"),
     ("fr", "Français"), ("nl", "Nederlands"), ("es", "Español"), ("en", "English")],
)
def test_language_names_as_their_speakers_write_them(code: str, name: str) -> None:
    assert language_name(code) == name


def test_stemmer_class_name_follows_the_file() -> None:
    assert stemmer_class_name("english-stemmer.js") == "EnglishStemmer"


# --- a Chinese site, built -----------------------------------------------------------------


@pytest.fixture(scope="module")
def zh_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Chinese project built by ``sphinx-build`` in a process of its own, as users
    build it (and as the browser test needs it: with its search index)."""
    root = zh_project(tmp_path_factory.mktemp("zh") / "src")
    out = root.parent / "out" / "zh_CN"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(root), str(out)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_paragraph_lines_join_without_a_space(make_app, tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    app = build(make_app, zh_project(tmp_path / "src"))
    soup = BeautifulSoup(html(app), "html.parser")
    paragraphs = [p.get_text() for p in soup.select("p")]
    assert "我们的节点共享生物多样性数据。目前已有一百多个机构发布数据。" in paragraphs
    assert "Open data\nhelps everyone." in paragraphs  # Latin words keep their space
    # Across an emphasis, too; and a literal block keeps its lines.
    assert any("或者看重点内容。" in p for p in paragraphs)
    assert "第一行\n第二行" in soup.select_one("pre").get_text()


def test_section_ids_are_readable_and_links_follow(make_app, tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    app = build(make_app, zh_project(tmp_path / "src"))
    soup = BeautifulSoup(html(app), "html.parser")
    ids = [s["id"] for s in soup.select("section[id]")]
    assert ids[:1] == ["生物多样性数据"]
    assert "数据共享" in ids and "数据共享-2" in ids and "участники" in ids
    assert not [i for i in ids if re.fullmatch(r"id\d+", i)]
    link = soup.find("a", string="数据共享")
    assert link is not None and link["href"] == "#数据共享"
    # The table of contents of the index links to the same ids.
    warnings = warnings_of(app)
    assert "myst.xref_missing" not in warnings, warnings


def test_switcher_names_chinese_as_chinese_sites_do(make_app, tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    app = build(make_app, zh_project(tmp_path / "src"))
    soup = BeautifulSoup(html(app), "html.parser")
    switcher = soup.select_one("nav.gbif-language-switcher")
    assert switcher is not None
    assert switcher.find(attrs={"lang": "zh-CN"}).get_text() == "简体中文"


@pytest.mark.skipif(not has_jieba(), reason=f"jieba is not installed ({EXTRA})")
def test_search_index_has_chinese_words(zh_site: Path) -> None:
    index = (zh_site / "searchindex.js").read_text(encoding="utf-8")
    data = json.loads(index[index.index("(") + 1 : index.rindex(")")])
    assert {"标本", "物种", "检索"} <= set(data["terms"])
    assert {"生物", "使用指南"} <= set(data["titleterms"])


def test_search_script_names_a_stemmer_that_exists(zh_site: Path) -> None:
    """The generated language data assigns the stemmer class its code defines."""
    script = (zh_site / "_static" / "language_data.js").read_text(encoding="utf-8")
    assigned = re.findall(r"window\.Stemmer\s*=\s*(\w+)\s*;", script)
    for name in assigned:
        assert re.search(rf"\b(?:var|let|const|class|function)\s+{name}\b", script), name


def test_the_workaround_applies_only_where_sphinx_needs_it() -> None:
    import sphinx

    broken = stemmer_assignment_is_broken()
    # Sphinx 8 used a built-in stemmer for Chinese; the bug exists from 9.0 to 9.1.0.
    if sphinx.version_info[:2] < (9, 0):
        assert not broken


def test_without_jieba_a_chinese_build_warns_once(tmp_path: Path) -> None:
    root = zh_project(tmp_path / "src")
    blocker = tmp_path / "no-jieba"
    (blocker / "jieba").mkdir(parents=True)
    (blocker / "jieba" / "__init__.py").write_text(
        "raise ImportError('jieba is blocked for this test')\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(blocker), *filter(None, [os.environ.get("PYTHONPATH")])]
    )}
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-q", "-b", "html", str(root), str(tmp_path / "out")],
        capture_output=True, text=True, env=env, check=False,
    )
    assert result.returncode == 0, result.stderr
    messages = [line for line in result.stderr.splitlines() if "jieba" in line]
    assert len(messages) == 1, result.stderr
    assert f'pip install "{EXTRA}"' in messages[0]
    assert "[gbifnode.search]" in messages[0]


def test_a_french_site_does_not_mention_jieba(make_app, tmp_path: Path) -> None:
    root = zh_project(tmp_path / "src")
    app = build(make_app, root, confoverrides={"language": "fr"})
    assert "jieba" not in warnings_of(app)


# --- in a real browser ---------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
@pytest.mark.skipif(not has_jieba(), reason=f"jieba is not installed ({EXTRA})")
def test_search_finds_a_chinese_word_in_a_browser(zh_site: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "theme"))
    from browser import Chromium

    browser = Chromium()
    try:
        browser.javascript(True)
        browser.navigate((zh_site / "search.html").as_uri() + "?q=" + quote("标本"))
        found = browser.wait_until(
            "(() => { const items = document.querySelectorAll('#search-results li a');"
            " return items.length ? Array.from(items).map(a => a.getAttribute('href')) : null;"
            " })()",
            timeout=20,
        )
        errors = browser.evaluate(
            "document.querySelector('#search-results') ? "
            "document.querySelector('#search-results').innerText : ''"
        )
    finally:
        browser.close()
    assert any(href.startswith("guide.html") for href in found), (found, errors)
