"""Run ``gbifnode serve`` for real in tests: its own process on a free loopback port,
pages fetched over HTTP, the reload signal read from its WebSocket."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

#: The first build of a small site takes a few seconds; a shared machine may be slow.
START_TIMEOUT = 120
BUILD_TIMEOUT = 60


class Preview:
    """A running ``gbifnode serve``: its URL, its output so far, HTTP and WebSocket."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.lines: list[str] = []
        self.url = ""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    @property
    def log(self) -> str:
        return "\n".join(self.lines)

    def wait_for_line(self, pattern: str, timeout: float = START_TIMEOUT) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.lines):
                match = re.search(pattern, line)
                if match:
                    return match
            if self.process.poll() is not None:
                self._reader.join(5)
                raise AssertionError(f"gbifnode serve exited ({self.process.returncode}):\n"
                                     + self.log)
            time.sleep(0.05)
        raise AssertionError(f"no line matching {pattern!r} in:\n{self.log}")

    def get(self, path: str) -> tuple[int, str]:
        """Status and text of ``GET path`` (errors included)."""
        try:
            with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=30) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def page(self, path: str) -> str:
        status, text = self.get(path)
        assert status == 200, (path, status, text[:300])
        return text

    @contextmanager
    def live(self) -> Iterator[LiveSocket]:
        """The WebSocket an open page listens on; the first message (hello) is read."""
        from websockets.sync.client import connect

        address = self.url.replace("http://", "ws://") + "_gbifnode/live"
        with connect(address, open_timeout=30) as websocket:
            socket = LiveSocket(websocket)
            socket.hello = socket.next()
            assert socket.hello["type"] == "hello", socket.hello
            yield socket


class LiveSocket:
    def __init__(self, websocket: Any) -> None:
        self.websocket = websocket
        self.hello: dict[str, Any] = {}

    def next(self, timeout: float = BUILD_TIMEOUT) -> dict[str, Any]:
        return json.loads(self.websocket.recv(timeout=timeout))

    def built(self, timeout: float = BUILD_TIMEOUT) -> dict[str, Any]:
        """The next end-of-build message (the reload signal), skipping "building"."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.next(max(0.1, deadline - time.monotonic()))
            if message["type"] == "built":
                return message

    def quiet(self, seconds: float) -> list[dict[str, Any]]:
        """Every message received in the next *seconds*."""
        messages = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                messages.append(self.next(left))
            except TimeoutError:
                break
        return messages


def serve_command(srcdir: Path, *options: str) -> list[str]:
    return [sys.executable, "-m", "sphinx_gbifnode", "serve", str(srcdir), "--port", "0",
            *options]


@contextmanager
def serving(srcdir: Path, *options: str, env: dict[str, str] | None = None,
            stop: int = signal.SIGINT) -> Iterator[Preview]:
    """``gbifnode serve SRC --port 0 OPTIONS`` until the block ends, then stopped with
    *stop*; afterwards no process of it may be left."""
    pytest.importorskip("watchfiles")
    pytest.importorskip("uvicorn")
    process = subprocess.Popen(
        serve_command(srcdir, *options), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True, env={**os.environ, **(env or {})},
    )
    preview = Preview(process)
    try:
        preview.url = preview.wait_for_line(r"serving (http://\S+/)").group(1)
        yield preview
    except BaseException:
        print("output of gbifnode serve:\n" + preview.log)  # shown with the failure
        raise
    finally:
        if process.poll() is None:
            process.send_signal(stop)
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise AssertionError("gbifnode serve did not stop:\n" + preview.log) from None
        preview._reader.join(5)
    assert process.returncode == 0, preview.log
    assert "preview stopped" in preview.log
    # The workers and the fork server have gone too.
    deadline = time.monotonic() + 10
    while True:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            raise AssertionError("processes of gbifnode serve were left running")
        time.sleep(0.1)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
