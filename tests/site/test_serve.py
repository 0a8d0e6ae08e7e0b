"""``gbifnode serve``: a real server on a free loopback port, real HTTP fetches, real
saves of ``.po`` files and pages, the reload signal read from the WebSocket."""

from __future__ import annotations

import html
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import copy_root
from serving import replace_in, serving

from sphinx_gbifnode.cli import main
from sphinx_gbifnode.site.serve.command import DEFAULT_PORT, PORT_TRIES, bind
from sphinx_gbifnode.site.serve.preview import PreviewSite

FR_INDEX = Path("locales/fr/LC_MESSAGES/index.po")
FR_INTRO = Path("locales/fr/LC_MESSAGES/guide/intro.po")


def gbifnode(*argv: str | Path) -> int:
    return main([str(arg) for arg in argv])


def test_every_language_live_while_editing(tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    out = tmp_path / "out"
    opened = tmp_path / "opened.txt"
    browser = f"{sys.executable} -c \"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])\" %s"
    with serving(srcdir, "--out", str(out), "--open", env={"BROWSER": browser}) as preview:
        url = preview.url
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", url)

        # Every language, with the layout of `gbifnode build`.
        english = preview.page("en/index.html")
        french = preview.page("fr/index.html")
        assert "We share biodiversity data." in english
        assert "Nous partageons des données de biodiversité." in french
        chooser = preview.page("/")
        assert '<a href="fr/index.html" hreflang="fr" lang="fr">Français</a>' in chooser
        # The switcher and hreflang links lead to pages of the preview.
        switch = re.search(r'<a href="([^"]+)" hreflang="en" lang="en" rel="alternate">',
                           french)
        assert switch and switch.group(1) == "../en/index.html"
        assert f'<link rel="alternate" hreflang="fr" href="{url}fr/index.html" />' in english
        assert preview.page("fr/guide/intro.html")
        assert f"<loc>{url}fr/guide/intro.html</loc>" in preview.page("sitemap.xml")

        # The reload script is added while serving, never written into the output.
        assert '<script src="/_gbifnode/preview.js" data-language="fr"' in french
        assert "_gbifnode" not in (out / "fr" / "index.html").read_text(encoding="utf-8")
        assert "location.reload()" in preview.page("_gbifnode/preview.js")
        # Sphinx's saved state is not served.
        assert preview.get(".doctrees/en/environment.pickle")[0] == 404

        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert opened.read_text() == url  # --open

        with preview.live() as live:
            assert live.hello["build"] == 1 and live.hello["problems"] == []
            english_written = (out / "en" / "index.html").stat().st_mtime_ns

            # A translator saves a .po: French only is rebuilt and the pages are told.
            replace_in(srcdir / FR_INDEX, "Nous partageons", "Nous publions")
            message = live.built()
            assert message["languages"] == ["fr"] and message["failed"] == []
            assert "Nous publions des données de biodiversité." in preview.page("fr/index.html")
            assert (out / "en" / "index.html").stat().st_mtime_ns == english_written

            # A maintainer saves a page: every language is rebuilt.
            replace_in(srcdir / "guide" / "intro.md", "Read this first.", "Read this at once.")
            message = live.built()
            assert message["languages"] == ["en", "fr"]
            assert "Read this at once." in preview.page("en/guide/intro.html")
            # The changed sentence has no translation yet: French shows the original.
            assert "Read this at once." in preview.page("fr/guide/intro.html")

            # A page renamed while serving: the old address is gone, the new one served,
            # the toctree still naming the old page is reported with its file and line.
            (srcdir / "guide" / "intro.md").rename(srcdir / "guide" / "start.md")
            message = live.built()
            assert message["languages"] == ["en", "fr"]
            status, missing = preview.get("fr/guide/intro.html")
            assert status == 404 and "/_gbifnode/preview.js" in missing
            assert 'href="/fr/"' in missing
            # The preview's own labels are in the page's language.
            assert "Aller à la page d'accueil" in html.unescape(missing)
            assert "Masquer" in html.unescape(preview.page("fr/index.html"))
            assert not (out / "fr" / "guide" / "intro.html").exists()
            problems = message["problems"]
            assert any(p["file"].endswith("index.md") and p["line"] == 5
                       and "guide/intro" in p["message"] for p in problems), problems
            replace_in(srcdir / "index.md", "guide/intro", "guide/start")
            message = live.built()
            assert message["problems"] == []
            assert "Read this at once." in preview.page("en/guide/start.html")
    assert "fr 4 page(s)" in preview.log or re.search(r"fr \d+ page\(s\)", preview.log)


def test_bad_po_and_bad_conf_keep_the_last_good_pages(tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    with serving(srcdir) as preview, preview.live() as live:
        po = srcdir / FR_INDEX
        good = po.read_text(encoding="utf-8")

        # A .po saved with a syntax error: its file and line, French not updated.
        po.write_text(good.replace('msgstr "Bienvenue"', 'msgstr "Bienvenue'), encoding="utf-8")
        message = live.built()
        assert message["failed"] == ["fr"] and message["languages"] == []
        broken = [p for p in message["problems"] if p["file"] == str(po)]
        assert broken and broken[0]["line"] == 7 and broken[0]["level"] == "error", message
        assert "Nous partageons" in preview.page("fr/index.html")  # the last good page
        # A page saved meanwhile updates English; French waits for its catalogue.
        replace_in(srcdir / "guide" / "intro.md", "Then read this.", "Then read that.")
        message = live.built()
        assert message["languages"] == ["en"] and message["failed"] == ["fr"]
        assert "Then read that." in preview.page("en/guide/intro.html")
        # The next good save recovers.
        po.write_text(good.replace("Nous partageons", "Nous diffusons"), encoding="utf-8")
        message = live.built()
        assert message["languages"] == ["fr"] and message["problems"] == []
        assert "Nous diffusons" in preview.page("fr/index.html")
        assert "Then read that." in preview.page("fr/guide/intro.html")

        # conf.py with a syntax error: reported at its line, the pages stay served.
        conf = srcdir / "conf.py"
        conf_text = conf.read_text(encoding="utf-8")
        conf.write_text(conf_text + "html_title = 'Node\n", encoding="utf-8")
        message = live.built()
        assert message["languages"] == [] and message["failed"] == ["en", "fr"]
        (problem,) = message["problems"]
        broken_line = len(conf_text.splitlines()) + 1
        assert problem["file"] == str(conf) and problem["line"] == broken_line, problem
        assert "syntax error" in problem["message"]
        assert "Nous diffusons" in preview.page("fr/index.html")
        # Fixed: every language is built with the new configuration.
        conf.write_text(conf_text + "html_title = 'Node preview'\n", encoding="utf-8")
        message = live.built()
        assert message["languages"] == ["en", "fr"] and message["problems"] == []
        assert "Node preview" in preview.page("fr/index.html")
    assert "Traceback" not in preview.log
    assert f"{FR_INDEX}:7" in preview.log or "index.po:7: ERROR" in preview.log


SLOW_EXTENSION = '''
"""Makes reading a page marked SLOW take a while, as a big page would."""
import time


def _slow(app, docname, source):
    if "SLOW" in source[0]:
        time.sleep(2)


def setup(app):
    app.connect("source-read", _slow)
    return {"parallel_read_safe": True}
'''


def test_saves_during_a_build_and_bursts(tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    (srcdir / "slow_reading.py").write_text(SLOW_EXTENSION, encoding="utf-8")
    replace_in(srcdir / "conf.py", 'extensions = ["myst_parser", "sphinx_gbifnode"]',
               'import sys, os\nsys.path.insert(0, os.path.dirname(__file__))\n'
               'extensions = ["myst_parser", "sphinx_gbifnode", "slow_reading"]')
    page = srcdir / "guide" / "intro.md"
    with serving(srcdir, "--languages", "en") as preview, preview.live() as live:
        # The second save lands while Sphinx reads the first (after it read the file,
        # before it noted the time): it must not be lost.
        page.write_text("# Introduction\n\nSLOW first version.\n", encoding="utf-8")
        assert live.next()["type"] == "building"
        time.sleep(1)
        page.write_text("# Introduction\n\nSLOW second version.\n", encoding="utf-8")
        first = live.built()
        assert first["languages"] == ["en"]
        second = live.built()  # one more build after it
        assert second["build"] == first["build"] + 1
        assert "second version" in preview.page("en/guide/intro.html")

        # A burst of saves (a checkout touching many files) makes one build, maybe two
        # when the machine pauses mid-burst, never one per file.
        for number in range(30):
            (srcdir / f"note{number}.md").write_text(
                f"---\norphan: true\n---\n# Note {number}\n", encoding="utf-8")
        builds = [live.built()]
        builds += [m for m in live.quiet(5) if m["type"] == "built"]
        assert 1 <= len(builds) <= 2, builds
        assert "Note 29" in preview.page("en/note29.html")


def test_gbif_data_from_snapshots_unless_online(tmp_path: Path, gbif_server) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    replace_in(srcdir / "conf.py", 'html_baseurl', f'gbifnode_api_url = "{gbif_server.url}"\n'
               "html_baseurl")
    (srcdir / "index.md").write_text(
        "# Welcome\n\nBelgium shares {gbif-count}`occurrences?country=BE` records.\n\n"
        "```{toctree}\nguide/intro\n```\n", encoding="utf-8")
    with serving(srcdir, "--languages", "en") as preview, preview.live() as live:
        assert gbif_server.requests == []  # no snapshot, and still no network
        problems = live.hello["problems"]
        assert any("gbifnode_offline" in p["message"] and p["file"].endswith("index.md")
                   for p in problems), problems
        preview.page("en/index.html")
    with serving(srcdir, "--languages", "en", "--online", "--out", str(tmp_path / "o")):
        pass
    assert gbif_server.paths() and all(p.startswith("occurrence") for p in gbif_server.paths())


def test_online_asks_the_api_afresh_at_each_rebuild(tmp_path: Path, gbif_server) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    replace_in(srcdir / "conf.py", 'html_baseurl', f'gbifnode_api_url = "{gbif_server.url}"\n'
               "gbifnode_retries = 0\nhtml_baseurl")
    page = ("# Welcome\n\nBelgium shares {{gbif-count}}`occurrences?country=BE` records "
            "({version}).\n\n```{{toctree}}\nguide/intro\n```\n")
    (srcdir / "index.md").write_text(page.format(version="one"), encoding="utf-8")
    gbif_server.always = "reset"  # the API cannot be reached while the server starts
    with serving(srcdir, "--languages", "en", "--online") as preview, preview.live() as live:
        assert "(one)" in preview.page("en/index.html")
        assert not (srcdir / "_data" / "gbif").is_dir() or not any(
            (srcdir / "_data" / "gbif").iterdir())
        asked = len(gbif_server.requests)
        assert asked >= 1
        gbif_server.always = None  # back on line: the next save asks again
        (srcdir / "index.md").write_text(page.format(version="two"), encoding="utf-8")
        live.built()
        english = preview.page("en/index.html")
        assert "(two)" in english
        assert len(gbif_server.requests) > asked
        assert any(snapshot.suffix == ".json" for snapshot in (srcdir / "_data" / "gbif").iterdir())


def test_stopped_by_sigterm_cleans_up(tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    with serving(srcdir, "--languages", "fr", stop=signal.SIGTERM) as preview:
        out = Path(preview.wait_for_line(r"into (\S+)$").group(1))
        assert (out / "fr" / "index.html").is_file()
        assert preview.get("en/index.html")[0] == 404  # not asked for
    assert not out.exists()  # the temporary output went with the server


#: ``gbifnode serve`` as the command runs it, except that the Ctrl+C arrives right after
#: the preview says it serves, while Python runs code where an interruption is treated
#: unusually, as happens when it lands in the imports that follow:
#: - ``weakref``: a weak-reference callback (an import's module lock has one): Python
#:   prints the KeyboardInterrupt as "ignored" and drops it;
#: - ``exec``: code run by ``exec`` from a string (dataclasses build their methods so):
#:   CPython notes the KeyboardInterrupt as unhandled even once it is caught, and ends
#:   the process as if killed by SIGINT.
CTRL_C_LANDING_IN = """
import signal, sys, weakref
from sphinx_gbifnode.cli import main
from sphinx_gbifnode.site.serve import command

said = command.say
class Lock:
    pass

def say(text):
    said(text)
    if "serving http" not in text:
        return
    if sys.argv[1] == "weakref":
        lock = Lock()
        ref = weakref.ref(lock, lambda _ref: signal.raise_signal(signal.SIGINT))
        del lock  # the callback runs here; what it raises is dropped
        assert ref() is None
    else:
        exec("import signal; signal.raise_signal(signal.SIGINT)", {})

if __name__ == "__main__":  # not in the build processes, which import this module
    command.say = say
    sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.parametrize("where", ["weakref", "exec"])
def test_a_ctrl_c_anywhere_stops_the_preview_cleanly(tmp_path: Path, where: str) -> None:
    pytest.importorskip("watchfiles")
    pytest.importorskip("uvicorn")
    srcdir = copy_root("multilang", tmp_path / "src")
    out = tmp_path / "out"
    # Run with -m, as `python -m sphinx_gbifnode` is: CPython checks its note of an
    # unhandled interruption at the exit of a module run so, not after `-c`.
    (tmp_path / "ctrl_c_driver.py").write_text(CTRL_C_LANDING_IN, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "ctrl_c_driver", where, "serve", str(srcdir), "--port", "0",
         "--languages", "en", "--out", str(out)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "gbifnode: preview stopped" in run.stdout
    assert (out / "en" / "index.html").is_file()
    if where == "weakref":
        assert "KeyboardInterrupt" in run.stderr  # Python did drop it


# --- bad input at start --------------------------------------------------------------


def test_a_port_in_use_is_a_clear_error(tmp_path: Path, capsys) -> None:
    pytest.importorskip("uvicorn")
    srcdir = copy_root("multilang", tmp_path / "src")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert gbifnode("serve", srcdir, "--port", port) == 2
    error = capsys.readouterr().err
    assert f"port {port} on 127.0.0.1 is already in use" in error
    assert "Traceback" not in error


def test_without_port_the_next_free_one_is_taken() -> None:
    with socket.socket() as taken:
        taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:  # another program may hold it already: taken either way
            taken.bind(("127.0.0.1", DEFAULT_PORT))
            taken.listen()
        except OSError:
            pass
        with bind("127.0.0.1", None) as chosen:
            port = chosen.getsockname()[1]
    assert DEFAULT_PORT < port < DEFAULT_PORT + PORT_TRIES


def test_a_folder_without_conf_py(tmp_path: Path, capsys) -> None:
    pytest.importorskip("uvicorn")
    assert gbifnode("serve", tmp_path) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path} has no conf.py" in error and "Traceback" not in error


def test_the_missing_extra_is_named(tmp_path: Path, capsys, monkeypatch) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    monkeypatch.setitem(sys.modules, "watchfiles", None)  # as if not installed
    assert gbifnode("serve", srcdir) == 2
    error = capsys.readouterr().err
    assert "pip install 'sphinx-gbifnode[serve]'" in error and "watchfiles" in error


def test_an_out_that_is_a_file(tmp_path: Path, capsys) -> None:
    pytest.importorskip("uvicorn")
    srcdir = copy_root("multilang", tmp_path / "src")
    (tmp_path / "taken").write_text("not a folder", encoding="utf-8")
    assert gbifnode("serve", srcdir, "--out", tmp_path / "taken") == 2
    assert "--out" in capsys.readouterr().err
    assert (tmp_path / "taken").read_text(encoding="utf-8") == "not a folder"


# --- what a save touches (no server needed) ----------------------------------------------


def test_what_each_saved_file_rebuilds(tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / "src")
    out = tmp_path / "src" / "_preview"  # an output inside the sources is not watched
    site = PreviewSite(srcdir, out, None)
    po = srcdir / FR_INTRO

    plan = site.plan([po])
    assert plan.catalogs == {"fr": [po]} and not plan.every_language and not plan.config

    plan = site.plan([srcdir / "guide" / "intro.md", srcdir / "_static" / "logo.png"])
    assert plan.every_language and plan.docs == {"guide/intro", "_static/logo"}
    assert not plan.restart

    assert site.plan([srcdir / "conf.py"]).config
    assert site.plan([srcdir / "slow_reading.py"]).restart  # a local extension
    sphinx_po = srcdir / "locales" / "fr" / "LC_MESSAGES" / "sphinx.po"
    assert site.plan([sphinx_po]).restart_languages == {"fr"}  # template labels

    ignored = [
        srcdir / "locales" / "fr" / "LC_MESSAGES" / "index.mo",  # written by the build
        srcdir / "locales" / "fr" / "LC_MESSAGES" / "index.pot",
        srcdir / ".index.md.swp", srcdir / "index.md~", srcdir / "4913",  # editors
        srcdir / "#index.md#", srcdir / "index.md___jb_tmp___",
        srcdir / ".git" / "index", srcdir / "_build" / "html" / "index.html",
        out / "en" / "index.html",
        srcdir / "locales" / "de" / "LC_MESSAGES" / "index.po",  # not a site language
    ]
    assert site.plan(ignored).empty
    site.close()


def test_a_site_inside_a_hidden_folder_is_watched(tmp_path: Path) -> None:
    srcdir = copy_root("multilang", tmp_path / ".sites" / "node")
    site = PreviewSite(srcdir, tmp_path / "out", None)
    assert site.plan([srcdir / "index.md"]).every_language
    site.close()


def test_a_chinese_word_list_is_loaded_once_per_worker(tmp_path: Path) -> None:
    """Sphinx loads jieba's word list at every build; a warm worker needs it once
    per version of the file (jieba keeps the words). In a child process: it changes
    Sphinx's module for the life of the process, as the worker does."""
    pytest.importorskip("jieba")
    words = tmp_path / "words.txt"
    words.write_text("预览服务器 100000 n\n", encoding="utf-8")
    script = f"""
import os, jieba
from sphinx.search import zh
from sphinx_gbifnode.site.serve.worker import load_word_lists_once
load_word_lists_once()
path = {str(words)!r}
zh.jieba_load_userdict(path)
print("loaded", "预览服务器" in jieba.lcut("这是预览服务器"))
jieba.del_word("预览服务器")
zh.jieba_load_userdict(path)
print("same file", "预览服务器" in jieba.lcut("这是预览服务器"))
stat = os.stat(path)
os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
zh.jieba_load_userdict(path)
print("new version", "预览服务器" in jieba.lcut("这是预览服务器"))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split("\n")[:3] == ["loaded True", "same file False", "new version True"]
