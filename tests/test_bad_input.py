"""Bad input: a clear warning naming file and line, nothing unsafe rendered, no traceback,
and the rest of the page and site still built."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import build, html, make_project, warnings_of

OTHER_PAGE = "# Other page\n\nStill built.\n"


def build_bad(make_app, tmp_path: Path, body: str, name: str = "index.md", extra=None):
    pages = {name: body, "other.md": ":orphan:\n\n" + OTHER_PAGE if name.endswith(".rst")
             else "---\norphan: true\n---\n" + OTHER_PAGE}
    pages.update(extra or {})
    srcdir = make_project(tmp_path / "src", pages)
    app = build(make_app, srcdir)
    warnings = warnings_of(app)
    assert "Traceback" not in warnings
    assert "Still built." in html(app, "other")
    return app, warnings


def test_malformed_yaml_in_grid(make_app, tmp_path: Path) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        "# Page\n\nBefore.\n\n:::{partner-grid}\n- name: Good\n- name: [unclosed\n:::\n\nAfter.\n"
    ))
    assert "index.md:7: WARNING: partner-grid: malformed YAML" in warnings
    page = html(app)
    assert "Before." in page and "After." in page and "gbif-partner-grid" not in page


def test_malformed_yaml_in_data_file_names_the_data_file(make_app, tmp_path: Path) -> None:
    _app, warnings = build_bad(
        make_app, tmp_path, "# Page\n\n:::{partner-grid}\n:data: partners.yml\n:::\n",
        extra={"partners.yml": "- name: A\n  url: https://a.example\n- name: B\n  url: {oops\n"},
    )
    assert "partners.yml:5: WARNING: partner-grid: malformed YAML" in warnings


def test_missing_data_file(make_app, tmp_path: Path) -> None:
    _app, warnings = build_bad(
        make_app, tmp_path, "# Page\n\n:::{partner-grid}\n:data: nowhere.yml\n:::\n"
    )
    assert "index.md:3: WARNING: partner-grid: cannot read :data: file nowhere.yml" in warnings


def test_yaml_that_is_not_a_list(make_app, tmp_path: Path) -> None:
    _app, warnings = build_bad(make_app, tmp_path, "# P\n\n:::{partner-grid}\nname: A\n:::\n")
    assert "must be a YAML list" in warnings


def test_partner_without_name(make_app, tmp_path: Path) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        "# P\n\n:::{partner-grid}\n- name: Kept\n- logo: _static/rbins.png\n  url: https://x.org\n:::\n"
    ))
    assert "index.md:5: WARNING: partner-grid: a partner has no name; skipped" in warnings
    page = html(app)
    assert "Kept" in page and "https://x.org" not in page


def test_unknown_key(make_app, tmp_path: Path) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        "# P\n\n:::{partner-grid}\n- name: A\n  website: https://a.org\n:::\n"
    ))
    assert "index.md:4: WARNING: partner-grid: unknown key 'website'" in warnings
    assert ">A</span>" in html(app)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<script>x</script>",
                                 "JavaScript:alert(1)", " javascript:alert(1)",
                                 "java\tscript:alert(1)", "java\\script:alert(1)",
                                 "//evil.example/x", "\\\\evil.example/x"])
def test_unsafe_partner_url(make_app, tmp_path: Path, url: str) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        f"# P\n\n:::{{partner-grid}}\n- name: A\n  url: {json.dumps(url)}\n:::\n"
    ))
    assert "index.md:4: WARNING: partner-grid: A: url" in warnings and "is not allowed" in warnings
    page = html(app)
    assert "javascript:" not in page.lower() and "data:text" not in page and "evil" not in page
    assert ">A</span>" in page


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:image/png;base64,AAAA"])
def test_unsafe_logo(make_app, tmp_path: Path, url: str) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        f"# P\n\n:::{{partner-grid}}\n- name: A\n  logo: {url!r}\n:::\n"
    ))
    assert "index.md:4: WARNING: partner-grid: A: logo" in warnings
    page = html(app)
    assert url.split(":")[0] + ":" not in page and ">A</span>" in page  # shown by name


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:image/png;base64,AAAA"])
def test_unsafe_hero_image(make_app, tmp_path: Path, url: str) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        f"# P\n\n:::{{hero}} Title\n:image: {url}\n:licence: CC0\n:::\n"
    ))
    assert "index.md:3: WARNING: :image:" in warnings and "is not allowed" in warnings
    page = html(app)
    assert url.split(":")[0] + ":" not in page
    assert "Title" in page  # the banner itself is still shown


def test_unsafe_hero_button_and_licence_link(make_app, tmp_path: Path) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        "# P\n\n:::{hero} Title\n:image: _static/hero.png\n"
        ":licence: By [me](javascript:alert(1))\n:cta: Click <javascript:alert(1)>\n:::\n"
    ))
    assert "hero button 'Click'" in warnings
    page = html(app)
    assert 'href="javascript' not in page and "<javascript" not in page


def test_missing_local_images(make_app, tmp_path: Path) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        "# P\n\n:::{hero} Title\n:image: _static/nope.jpg\n:licence: CC0\n:::\n\n"
        ":::{partner-grid}\n- name: A\n  logo: _static/absent.png\n:::\n"
    ))
    assert "index.md:3: WARNING: :image:: image file not found: _static/nope.jpg" in warnings
    assert "index.md:9: WARNING: partner-grid: A: logo: image file not found" in warnings
    assert ">A</span>" in html(app)


@pytest.mark.parametrize(("option", "value"), [
    ("height", "12parsecs"), ("height", "70vh;color:red"), ("overlay", "red;background:url(x)"),
    ("overlay", "\"#12345\""), ("align", "right"),
])
def test_invalid_hero_option_values(make_app, tmp_path: Path, option: str, value: str) -> None:
    _app, warnings = build_bad(make_app, tmp_path, (
        f"# P\n\n:::{{hero}} Title\n:image: _static/hero.png\n:{option}: {value}\n:licence: CC0\n:::\n"
    ))
    assert "index.md:" in warnings and f"'{option}'" in warnings and value.strip('"') in warnings


def test_invalid_option_in_restructuredtext(make_app, tmp_path: Path) -> None:
    _app, warnings = build_bad(make_app, tmp_path, (
        "Page\n====\n\n.. partner-grid::\n   :columns: many\n\n   - name: A\n"
    ), name="index.rst")
    assert "index.rst:4:" in warnings and '"columns"' in warnings and "many" in warnings


@pytest.mark.parametrize("value", ["0", "many", "13", "-2"])
def test_invalid_columns(make_app, tmp_path: Path, value: str) -> None:
    _app, warnings = build_bad(make_app, tmp_path, (
        f"# P\n\n:::{{partner-grid}}\n:columns: {value}\n- name: A\n:::\n"
    ))
    assert "'columns'" in warnings and value in warnings


def test_script_is_escaped_everywhere(make_app, tmp_path: Path) -> None:
    app, _warnings = build_bad(make_app, tmp_path, (
        "# P\n\n:::{hero} Title <script>alert(1)</script>\n:image: _static/hero.png\n"
        ":alt: Alt <script>alert(2)</script>\n"
        ":licence: Photo <script>alert(3)</script> CC0\n:::\n\n"
        ":::{partner-grid}\n:captions:\n- name: \"<script>alert(4)</script>\"\n"
        "  logo: _static/rbins.png\n  alt: \"<script>alert(5)</script>\"\n:::\n"
    ))
    body = html(app).split("<body", 1)[1]
    assert "<script>alert" not in body
    for number in range(1, 6):
        assert f"&lt;script&gt;alert({number})" in body, number


def test_script_in_front_matter_is_escaped(make_app, tmp_path: Path) -> None:
    app, _warnings = build_bad(make_app, tmp_path, (
        "---\nbackground: _static/hero.png\ntitle: T <script>alert(1)</script>\n"
        "description: D <script>alert(2)</script>\nimageLicense: L <img src=x onerror=alert(3)>\n"
        "imageAlt: A \"><script>alert(4)</script>\n---\n# Page\n"
    ))
    body = html(app).split("<body", 1)[1]
    assert "<script>alert" not in body and "<img src=x" not in body
    assert "&lt;script&gt;alert(2)" in body and "&lt;img src=x onerror=alert(3)&gt;" in body


def test_hero_without_licence(make_app, tmp_path: Path) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        "# P\n\n:::{hero} Title\n:image: _static/hero.png\n:::\n"
    ))
    assert "index.md:3: WARNING: hero has no licence" in warnings
    assert "Title" in html(app)


def test_hero_without_image(make_app, tmp_path: Path) -> None:
    _app, warnings = build_bad(make_app, tmp_path, "# P\n\n:::{hero} Title\n:licence: CC0\n:::\n")
    assert "index.md:3: WARNING: hero: the :image: option is required" in warnings


def test_front_matter_problems(make_app, tmp_path: Path) -> None:
    app, warnings = build_bad(make_app, tmp_path, (
        "---\nbackground: _static/hero.png\nheight: tall\noverlayColor: 'url(x)'\n"
        "cta: not a list\n---\n# Page\n"
    ))
    assert "index.md:1: WARNING: front matter 'height'" in warnings
    assert "front matter 'overlayColor'" in warnings
    assert "front matter 'cta' must be a list" in warnings
    assert "index.md:1: WARNING: hero has no licence" in warnings
    assert "--gbif-hero-height: 50vh" in html(app)


def test_bad_button_syntax(make_app, tmp_path: Path) -> None:
    _app, warnings = build_bad(make_app, tmp_path, (
        "# P\n\n:::{hero} Title\n:image: _static/hero.png\n:licence: CC0\n:cta: no url here\n:::\n"
    ))
    assert "'cta'" in warnings and "Label <url>" in warnings
