"""Wrong values in ``conf.py``: every ``gbifnode_*`` setting, each bad value one test id.

The promise: a warning naming conf.py and the line of the setting (or, for the
commands that read the site's languages, a one-line error with exit status 2), the value
used instead, and a site that builds; never a traceback.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from fault_sites import gbif_site, gbifnode
from helpers import build

#: setting -> (bad values, the value used instead)
BAD_VALUES: dict[str, tuple[list[Any], Any]] = {
    "gbifnode_api_url": ([42, "ftp://api.example.org/v1", "javascript:alert(1)", None],
                         "https://api.gbif.org/v1"),
    "gbifnode_data_dir": ([42, "", ["_data"]], "_data/gbif"),
    "gbifnode_max_age": (["week", -5, None, True], 7 * 24 * 3600),
    "gbifnode_offline": (["yes", "False", None, 1], False),
    "gbifnode_image_proxy": ([42, "https://proxy.example.org/no-placeholder",
                              "javascript:{url}"], None),
    "gbifnode_timeout": (["ten", 0, -1, math.nan, math.inf, True], 10),
    "gbifnode_retries": ([2.5, -1, "3", 1000], 3),
    "gbifnode_backoff": (["fast", -1, math.nan], 1),
    "gbifnode_languages": ([42, "en,not a code", ["en", "fr", "fr"], ["en", 5], {"en": 1}],
                           None),
    "gbifnode_front_matter_hero": (["no", 0], True),
    "gbifnode_add_language_switcher": (["no", None], True),
    "gbifnode_template": ([42, ["../template"]], None),
    "gbifnode_language_folders": (["yes", 1], None),
    "gbifnode_redirects": ([42, ["about/"], {"https://evil.example/": "index"},
                            {"../up/": "index"}, {"about/": 5}, {"about/": "../x"}], {}),
}
CASES = [
    pytest.param(name, value, fallback, id=f"{name}={value!r}")
    for name, (values, fallback) in BAD_VALUES.items()
    for value in values
]
PAGE = "# Hello\n\nA page.\n"


def site_with(tmp_path: Path, name: str, value: Any) -> tuple[Path, int]:
    """The site with ``name = value`` appended to conf.py; returns the site and that line."""
    # Offline, so that no fallback ever sends a request from a test (the API URL one
    # falls back to the real API).
    extra = "" if name == "gbifnode_offline" else "gbifnode_offline = True\n"
    srcdir = gbif_site(tmp_path, page=PAGE, conf=extra)
    conf = srcdir / "conf.py"
    text = conf.read_text(encoding="utf-8")
    literal = "float('nan')" if isinstance(value, float) and math.isnan(value) else (
        "float('inf')" if value == math.inf else repr(value))
    conf.write_text(f"{text}# a comment line first\n{name} = {literal}\n", encoding="utf-8")
    return srcdir, text.count("\n") + 2


@pytest.mark.parametrize(("name", "value", "fallback"), CASES)
def test_bad_setting_warns_at_its_conf_py_line(
    make_app, tmp_path: Path, name: str, value: Any, fallback: Any
) -> None:
    srcdir, line = site_with(tmp_path, name, value)
    app = build(make_app, srcdir, freshenv=True)
    warnings = app.warning.getvalue()
    assert f"conf.py:{line}: WARNING: {name} = " in warnings, warnings
    assert "expected" in warnings and "[gbifnode.config]" in warnings
    assert "Traceback" not in warnings
    # Sphinx's own type check does not say it again, without a place.
    assert "The config value" not in warnings
    if name == "gbifnode_languages":
        assert app.config.gbifnode_languages == ["en"]  # discovered instead
    else:
        assert getattr(app.config, name) == fallback
    assert "A page." in (Path(app.outdir) / "index.html").read_text(encoding="utf-8")


def test_every_gbifnode_setting_is_checked(make_app, tmp_path: Path) -> None:
    """A new ``gbifnode_*`` setting must be declared with its check, and tried here."""
    srcdir = gbif_site(tmp_path, page=PAGE, conf="gbifnode_offline = True\n")
    app = build(make_app, srcdir)
    names = {value.name for value in app.config if value.name.startswith("gbifnode_")}
    assert names == set(BAD_VALUES)


def test_bad_value_from_the_command_line_is_not_placed_in_conf_py(
    make_app, tmp_path: Path
) -> None:
    srcdir = gbif_site(tmp_path, page=PAGE, conf="gbifnode_offline = True\n")
    app = build(make_app, srcdir, confoverrides={"gbifnode_retries": -2})
    warnings = app.warning.getvalue()
    assert "WARNING: gbifnode_retries = -2: expected" in warnings
    assert "conf.py" not in warnings
    assert app.config.gbifnode_retries == 3


def test_good_values_give_no_warning(make_app, tmp_path: Path) -> None:
    srcdir = gbif_site(tmp_path, page=PAGE, conf=(
        "gbifnode_offline = True\ngbifnode_timeout = 2.5\ngbifnode_max_age = float('inf')\n"
        "gbifnode_languages = ('en', 'fr')\ngbifnode_image_proxy = None\n"
        "from pathlib import Path\ngbifnode_data_dir = Path('snapshots')\n"
    ))
    (srcdir / "locales" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    app = build(make_app, srcdir)
    assert app.warning.getvalue() == ""
    assert app.config.gbifnode_languages == ["en", "fr"]
    assert app.config.gbifnode_data_dir == "snapshots"


LANGUAGE_ERRORS = {
    "42": "gbifnode_languages = 42: not a list",
    "['en', 'fr', 'fr']": "gbifnode_languages = ['en', 'fr', 'fr']: 'fr' is listed twice",
    "['en', 5]": "gbifnode_languages = ['en', 5]: 5 is not a language code",
    "'en,fr fr'": "gbifnode_languages = 'en,fr fr': 'fr fr' is not a language code",
}
COMMANDS = {
    "build": ("build", "{src}", "{out}"),
    "i18n update": ("i18n", "update", "{src}"),
    "i18n stat": ("i18n", "stat", "{src}"),
    "i18n check": ("i18n", "check", "{src}"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("value", list(LANGUAGE_ERRORS))
def test_bad_languages_stop_every_command_with_one_line(
    tmp_path: Path, value: str, command: str
) -> None:
    srcdir = gbif_site(tmp_path, page=PAGE, conf="gbifnode_offline = True\n")
    conf = srcdir / "conf.py"
    text = conf.read_text(encoding="utf-8")
    conf.write_text(f"{text}gbifnode_languages = {value}\n", encoding="utf-8")
    line = text.count("\n") + 1
    argv = [part.format(src=srcdir, out=tmp_path / "out") for part in COMMANDS[command]]
    run = gbifnode(*argv)
    assert run.status == 2, run.output
    assert run.err.startswith(f"gbifnode: error: {conf}:{line}: {LANGUAGE_ERRORS[value]}")
    assert run.err.count("\n") == 1  # one line
    assert not (tmp_path / "out").exists()  # nothing built twice into one folder
