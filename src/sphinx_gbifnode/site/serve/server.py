"""The browser side of ``gbifnode serve``: the web server, the watcher, and the small
script that reloads pages after a build.

The pages are served as ``gbifnode build`` wrote them, plus one ``<script>`` added while
serving (never written into the output), which opens a WebSocket to this server. After
a build the server tells every page which languages were updated; a page of one of them
reloads itself and keeps its scroll position. When a build fails, the pages stay as the
last good build left them and show the problems (file:line) over the page.

The web parts come from the ``serve`` extra (Starlette, Uvicorn, websockets) and the
watcher from watchfiles, so they are imported where they are used: the ``gbifnode``
command itself must start without them.
"""

from __future__ import annotations

import asyncio
import contextlib
import gettext
import html
import json
import signal
import time
import webbrowser
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...core.locale import LOCALE_DIR, MESSAGE_CATALOG
from .preview import PreviewSite, SiteReport

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send
    from starlette.websockets import WebSocket

#: Everything the preview adds lives under this path, which no Sphinx output uses.
PREFIX = "/_gbifnode"
SCRIPT = Path(__file__).with_name("preview.js")


def _(message: str) -> str:
    """Marks a label of the preview for the package's catalogue; :func:`labels`
    translates it into the language of the page it is shown on."""
    return message


LABELS = {
    "building": _("Updating the preview…"),
    "failed": _("The preview could not be updated: the pages shown are from the last "
                "good build."),
    "warnings": _("Warnings of the last update"),
    "hide": _("Hide"),
    "show": _("Show"),
    "missing": _("This page is not in the preview (any more)."),
    "home": _("Go to the home page"),
}


def labels(language: str) -> dict[str, str]:
    """The preview's labels in *language* (English when there is no translation)."""
    translation = gettext.translation(
        MESSAGE_CATALOG, str(LOCALE_DIR), languages=[language], fallback=True
    )
    return {key: translation.gettext(text) for key, text in LABELS.items()}


class LiveReload:
    """The pages open in browsers, and what they are told."""

    def __init__(self, report: SiteReport) -> None:
        self.sockets: set[WebSocket] = set()
        self.last = report.message()

    @property
    def build(self) -> int:
        return int(self.last["build"])

    async def endpoint(self, websocket: WebSocket) -> None:
        """A page connects: it learns the current build and its problems, then waits."""
        await websocket.accept()
        self.sockets.add(websocket)
        try:
            await websocket.send_json({**self.last, "type": "hello"})
            async for _message in websocket.iter_text():
                pass  # pages only listen; this ends when the page goes away
        finally:
            self.sockets.discard(websocket)

    async def publish(self, message: dict[str, Any]) -> None:
        if message["type"] == "built":
            self.last = message
        for websocket in list(self.sockets):
            try:
                await websocket.send_json(message)
            except Exception:  # a page closed mid-send: it is simply gone
                self.sockets.discard(websocket)


def preview_tag(path: str, languages: list[str], build: int) -> bytes:
    """The ``<script>`` added to every served page, with its labels in the page's
    language (the first folder of *path*) and the build it was served from."""
    first = path.lstrip("/").split("/", 1)[0]
    language = first if first in languages else (languages[0] if languages else "en")
    data = html.escape(json.dumps(labels(language), ensure_ascii=False), quote=True)
    page_language = html.escape(first if first in languages else "")
    return (
        f'<script src="{PREFIX}/preview.js" data-language="{page_language}" '
        f'data-build="{build}" data-labels="{data}"></script>\n'
    ).encode()


def inject(page: bytes, tag: bytes) -> bytes:
    """*page* with *tag* just before its last ``</body>`` (or at its end)."""
    index = page.lower().rfind(b"</body>")
    if index < 0:
        return page + tag
    return page[:index] + tag + page[index:]


def missing_page(path: str, languages: list[str], tag: bytes) -> bytes:
    """The 404 page of the preview: it reloads itself once the page exists."""
    first = path.lstrip("/").split("/", 1)[0]
    language = first if first in languages else (languages[0] if languages else "en")
    text = labels(language)
    home = f"/{first}/" if first in languages else "/"
    page = (
        f'<!DOCTYPE html>\n<html lang="{html.escape(language.replace("_", "-"))}">\n'
        '<head><meta charset="utf-8"><title>404</title></head>\n'
        '<body style="font-family: system-ui, sans-serif; margin: 3rem auto; '
        'max-width: 36rem; padding: 0 1rem">\n'
        f"<h1>404</h1>\n<p>{html.escape(text['missing'])}</p>\n"
        f'<p><code>{html.escape(path)}</code></p>\n'
        f'<p><a href="{html.escape(home)}">{html.escape(text["home"])}</a></p>\n'
        "</body>\n</html>\n"
    ).encode()
    return inject(page, tag)


class PreviewPages:
    """Serves the output folder (through Starlette's static files) with the preview
    script added to each HTML page, nothing cached, and a 404 page that waits for the
    page to appear. Hidden paths (``.doctrees``) are not served."""

    def __init__(self, files: ASGIApp, live: LiveReload, languages: Callable[[], list[str]]):
        self.files = files
        self.live = live
        self.languages = languages

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.files(scope, receive, send)
            return
        path = scope["path"]
        tag = preview_tag(path, self.languages(), self.live.build)
        if any(part.startswith(".") for part in path.split("/")):
            await self._not_found(path, tag, send)
            return
        # Pages change under the same name: always answer in full.
        scope = dict(scope, headers=[
            (name, value) for name, value in scope["headers"]
            if name not in (b"if-none-match", b"if-modified-since")
        ])
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_with_script(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"cache-control", b"etag", b"last-modified")]
                headers.append((b"cache-control", b"no-store"))
                message = dict(message, headers=headers)
                content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                # A whole page (not HEAD, not a byte range) gets the script.
                whole = scope["method"] == "GET" and message["status"] != 206
                if content_type.startswith(b"text/html") and whole:
                    start = message  # held until the whole page is read
                    return
            elif message["type"] == "http.response.body" and start is not None:
                chunks.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                body = inject(b"".join(chunks), tag)
                headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
                headers.append((b"content-length", str(len(body)).encode("ascii")))
                await send(dict(start, headers=headers))
                message = {"type": "http.response.body", "body": body}
            await send(message)

        try:
            await self.files(scope, receive, send_with_script)
        except Exception as exc:
            if getattr(exc, "status_code", None) != 404:
                raise
            await self._not_found(path, tag, send)

    async def _not_found(self, path: str, tag: bytes, send: Send) -> None:
        body = missing_page(path, self.languages(), tag)
        await send({
            "type": "http.response.start",
            "status": 404,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"cache-control", b"no-store"),
            ],
        })
        await send({"type": "http.response.body", "body": body})


class LivePreview:
    """Watches the sources and rebuilds, one build at a time.

    Saves that arrive while a build runs are collected and make one more build after
    it; a burst of saves (an editor's temporary files, a ``git checkout``) arrives from
    the watcher as one set, so it makes one build.
    """

    def __init__(
        self,
        site: PreviewSite,
        report: SiteReport,
        url: str,
        open_browser: bool = False,
        log: Callable[[str], None] = print,
        stop_requested: Callable[[], bool] = lambda: False,
    ) -> None:
        self.site = site
        self.stop_requested = stop_requested
        self.live = LiveReload(report)
        self.url = url
        self.open_browser = open_browser
        self.log = log
        self.pending: set[Path] = set()
        self.wake = asyncio.Event()
        self.stop = asyncio.Event()

    def app(self) -> ASGIApp:
        from starlette.applications import Starlette
        from starlette.responses import FileResponse
        from starlette.routing import Mount, Route, WebSocketRoute
        from starlette.staticfiles import StaticFiles

        async def script(request: Any) -> FileResponse:
            return FileResponse(SCRIPT, media_type="text/javascript",
                                headers={"cache-control": "no-store"})

        files = StaticFiles(directory=self.site.outdir, html=True)
        pages = PreviewPages(files, self.live, lambda: self.site.languages)
        return Starlette(
            routes=[
                Route(f"{PREFIX}/preview.js", script),
                WebSocketRoute(f"{PREFIX}/live", self.live.endpoint),
                Mount("/", app=pages),
            ],
            lifespan=self.lifespan,
        )

    @contextlib.asynccontextmanager
    async def lifespan(self, app: Any) -> AsyncIterator[None]:
        self.wake = asyncio.Event()
        self.stop = asyncio.Event()
        tasks: list[asyncio.Task[Any]] = [
            asyncio.create_task(self.watch()), asyncio.create_task(self.rebuild_loop())
        ]
        if self.open_browser:
            tasks.append(asyncio.create_task(asyncio.to_thread(webbrowser.open, self.url)))
        if self.stop_requested():
            # Asked to stop before the server listened for signals (and Python dropped
            # the interruption): hand the request to the server, which now listens.
            signal.raise_signal(signal.SIGINT)
        try:
            yield
        finally:
            self.stop.set()
            self.wake.set()
            tasks[0].cancel()  # the watcher; a build under way finishes (no half-written pages)
            await asyncio.gather(*tasks, return_exceptions=True)

    async def watch(self) -> None:
        from watchfiles import awatch

        def concerns(_change: Any, path: str) -> bool:
            return self.site.concerns(Path(path))

        while not self.stop.is_set():
            try:
                # step: a burst is over after 50 ms without a new change; debounce:
                # never wait more than 1.6 s for one to end.
                async for changes in awatch(*self.site.watched_folders(),
                                            watch_filter=concerns, stop_event=self.stop,
                                            step=50, debounce=1600):
                    self.pending.update(Path(path) for _change, path in changes)
                    self.wake.set()
            except (OSError, RuntimeError) as exc:  # a watched folder went away
                self.log(f"gbifnode: watching stopped ({exc}); trying again in 1 s")
                await asyncio.sleep(1)

    async def rebuild_loop(self) -> None:
        while True:
            await self.wake.wait()
            self.wake.clear()
            if self.stop.is_set():
                return
            saved, self.pending = self.pending, set()
            plan = self.site.plan(saved)
            if plan.empty:
                continue
            await self.live.publish({"type": "building"})
            try:
                report = await asyncio.to_thread(self.site.rebuild, plan)
            except Exception as exc:  # keep serving: the next save tries again
                self.log(f"gbifnode: the preview could not build: {type(exc).__name__}: {exc}")
                await self.live.publish({**self.live.last, "type": "built", "languages": []})
                continue
            self.log(describe(report))
            await self.live.publish(report.message())


def _shown(path: Path | str) -> str:
    """*path* from the current folder when it is below it (shorter to read)."""
    with contextlib.suppress(ValueError):
        return str(Path(path).relative_to(Path.cwd()))
    return str(path)


def describe(report: SiteReport) -> str:
    """One line per build for the terminal, then its problems."""
    clock = time.strftime("%H:%M:%S")
    changed = ", ".join(_shown(path) for path in report.changed[:3])
    if len(report.changed) > 3:
        changed += f" and {len(report.changed) - 3} more"
    parts = []
    for outcome in report.outcomes:
        if outcome.built:
            parts.append(f"{outcome.language} {outcome.written} page(s) in {outcome.seconds:.2f} s")
        else:
            parts.append(f"{outcome.language} NOT updated (the last good pages stay)")
    head = f"[{clock}] {changed + ': ' if changed else ''}{'; '.join(parts) or 'nothing to build'}"
    lines = [head]
    for problem in report.problems:
        shown = _shown(problem.file) if problem.file else ""
        where = f"{shown}:{problem.line}: " if shown and problem.line else (
            f"{shown}: " if shown else "")
        lines.append(f"  {where}{problem.level.upper()}: {problem.message}")
    return "\n".join(lines)
