"""``gbifnode serve SRC``: every language of the site in the browser, updated on save.

Builds every language as ``gbifnode build`` does, serves the result on loopback, and on
each save rebuilds what the saved file touches: a ``.po`` its language, a page every
language, ``conf.py`` everything. Open pages reload themselves. GBIF data come from the
snapshots (no network) unless ``--online``.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib.util
import ipaddress
import os
import shutil
import signal
import socket
import tempfile
from pathlib import Path

from ...core.errors import CommandError
from .preview import PreviewSite
from .server import LivePreview, describe

#: The ``serve`` extra: the watcher, the web framework and server, WebSockets.
EXTRA_MODULES = ("watchfiles", "starlette", "uvicorn", "websockets")
DEFAULT_PORT = 8000
#: Ports tried after the default one when it is taken and --port was not given.
PORT_TRIES = 20


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("srcdir", metavar="SRC", help="source folder (with conf.py)")
    parser.add_argument(
        "--port", type=int, default=None, metavar="N",
        help=f"port to serve on (default {DEFAULT_PORT}, or the next free one; "
             "0 = any free port)",
    )
    parser.add_argument(
        "--host", default="127.0.0.1",
        help="address to serve on (default 127.0.0.1: this computer only)",
    )
    parser.add_argument(
        "--languages", metavar="LANGS",
        help="comma-separated languages to preview (default: every language of the site)",
    )
    parser.add_argument("--open", action="store_true", help="open the site in a browser")
    parser.add_argument(
        "--online", action="store_true",
        help="let pages fetch GBIF data that has no fresh snapshot (default: snapshots only)",
    )
    parser.add_argument(
        "--out", metavar="DIR",
        help="build into DIR and keep it (default: a temporary folder, removed on exit)",
    )


def require_extra() -> None:
    """A clear error naming the extra when one of its packages is missing."""
    missing = [name for name in EXTRA_MODULES if importlib.util.find_spec(name) is None]
    if missing:
        raise CommandError(
            f"`gbifnode serve` needs the serve extra ({', '.join(missing)} missing): "
            "pip install 'sphinx-gbifnode[serve]'"
        )


def bind(host: str, port: int | None) -> socket.socket:
    """A socket bound to *host*:*port*; without *port*, the first free one from 8000.

    Bound here, before building, so the port is ours and the pages can name it."""
    try:
        family, _type, _proto, _name, address = socket.getaddrinfo(
            host, port or 0, type=socket.SOCK_STREAM
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise CommandError(f"--host {host}: not an address of this computer ({exc})") from None
    candidates = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES)
    for candidate in candidates:
        sock = socket.socket(family, socket.SOCK_STREAM)
        if os.name != "nt":  # elsewhere SO_REUSEADDR would let two servers share a port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address[0], candidate, *address[2:]))
        except OSError as exc:
            sock.close()
            if exc.errno == errno.EADDRINUSE and port is None:
                continue
            if exc.errno == errno.EADDRINUSE:
                raise CommandError(
                    f"port {port} on {host} is already in use (another preview?); stop "
                    "it, choose another port with --port, or leave --port out to take "
                    "the next free one"
                ) from None
            raise CommandError(
                f"cannot serve on {host}:{candidate}: {exc.strerror or exc}"
            ) from None
        # Listening at once: a browser that comes during the first build waits for the
        # pages instead of being refused.
        sock.listen(128)
        return sock
    raise CommandError(
        f"ports {DEFAULT_PORT} to {DEFAULT_PORT + PORT_TRIES - 1} on {host} are all in use; "
        "choose one with --port"
    )


def site_url(host: str, port: int) -> str:
    """The address to open: an any-address bind is reached as ``localhost``."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}/"
    if address.is_unspecified:
        return f"http://localhost:{port}/"
    if address.version == 6:
        return f"http://[{host}]:{port}/"
    return f"http://{host}:{port}/"


def say(text: str) -> None:
    print(text, flush=True)


class StopRequest:
    """Ctrl+C (SIGINT) or ``kill`` (SIGTERM): remembered, then raised as
    :class:`KeyboardInterrupt` to stop whatever runs.

    Python drops an exception raised while it runs a weak-reference callback or a
    ``__del__``: an import's module lock has such a callback, and the preview imports
    much just before it listens. A Ctrl+C landing there was lost and the preview kept
    serving; remembered here, it is handed on once the server listens for signals
    itself (:meth:`LivePreview.lifespan <.server.LivePreview.lifespan>`).
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, object] = {}

    def __call__(self, signum: int, frame: object) -> None:
        self.requested = True
        raise KeyboardInterrupt

    def install(self) -> None:
        self._previous = {sig: signal.signal(sig, self) for sig in self.SIGNALS}

    def restore(self) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]

    @staticmethod
    def handled() -> None:
        """Tell CPython the interruption was handled. When a KeyboardInterrupt leaves
        code that ``exec`` runs from a string (the dataclasses of a module being
        imported build their methods so), CPython notes it as unhandled and, although
        it was caught, ends the process as if killed by SIGINT. Running any string
        clears that note."""
        exec("", {})


def run(args: argparse.Namespace) -> int:
    require_extra()
    import uvicorn  # the serve extra, checked above

    # Stopped by Ctrl+C, a service manager or `kill`: clean up and say so (Uvicorn
    # passes the signal on once it has shut down).
    stop = StopRequest()
    stop.install()
    temporary = args.out is None
    outdir = Path(args.out).resolve() if args.out else Path(
        tempfile.mkdtemp(prefix="gbifnode-serve-")
    )
    site = None
    try:
        if outdir.exists() and not outdir.is_dir():
            raise CommandError(f"--out {args.out}: is a file, not a folder")
        try:  # served even when no language builds (the pages then show why)
            outdir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"--out {args.out}: {exc.strerror or exc}") from None
        site = PreviewSite(args.srcdir, outdir, args.languages, online=args.online)
        sock = bind(args.host, args.port)
        url = site_url(args.host, sock.getsockname()[1])
        with contextlib.closing(sock):
            say(f"gbifnode: building {', '.join(site.languages)} from {site.project.srcdir} "
                f"into {outdir}")
            report = site.start(url)
            if stop.requested:  # a Ctrl+C Python dropped during the first build
                raise KeyboardInterrupt
            say(describe(report))
            if not args.host.startswith("127.") and args.host not in ("localhost", "::1"):
                say(f"gbifnode: note: serving on {args.host}: other computers can see "
                    "the preview")
            say(f"gbifnode: serving {url} (Ctrl+C to stop)")
            live = LivePreview(site, report, url, open_browser=args.open, log=say,
                               stop_requested=lambda: stop.requested)
            config = uvicorn.Config(
                live.app(), log_level="warning", lifespan="on", ws="websockets-sansio",
                timeout_graceful_shutdown=3,
            )
            uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl+C (or SIGTERM, above) at any moment: stop cleanly
        stop.handled()
    finally:
        stop.restore()
        if site is not None:
            site.close()
        if temporary:
            shutil.rmtree(outdir, ignore_errors=True)
    say("gbifnode: preview stopped")
    return 0
