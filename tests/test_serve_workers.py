"""``zhibu serve --workers 2`` as a real process: each worker listens on its own ``SO_REUSEPORT``
socket, the kernel spreads new connections over both (a burst of clients does not all land on one
worker), SIGTERM stops them all cleanly, and a taken port is refused at once.

Nothing here is timed: the server is waited for (up to a minute) before anything is asserted, and
which worker holds each connection is read from ``/proc`` while the connections are open."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_production import ROOT, run_cli

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads /proc (Linux)")

#: new connections the kernel spreads over the two sockets by hash: all on one socket by chance has
#: probability 2 ** -31
CONNECTIONS = 32


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[int]:
    return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def _sockets(pid: int) -> set[str]:
    """Inodes of the sockets process ``pid`` holds."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def _tcp(port: int, state: str) -> set[str]:
    """Inodes of the IPv4 TCP sockets on local ``port`` in ``state`` (0A listen, 01 established)."""
    inodes = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[1].split(":")[1], 16) == port and fields[3] == state:
            inodes.add(fields[9])
    return inodes


def _get_health(port: int) -> socket.socket:
    """A keep-alive connection that has had one answer from /health (left open)."""
    conn = socket.create_connection(("127.0.0.1", port), timeout=30)
    conn.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n")
    assert conn.recv(4096).startswith(b"HTTP/1.1 200")
    return conn


@pytest.fixture
def server(tmp_path):
    url = f"sqlite://{tmp_path / 'serve.sqlite3'}"
    env = {"ZHIBU_DB_URL": url, "ZHIBU_SECRET_KEY": "k" * 48}
    migrated = run_cli("migrate", **env)
    assert migrated.returncode == 0, migrated.stderr
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ZHIBU_")}
    environ.update(env)
    log = tmp_path / "serve.log"
    with log.open("w") as output:  # a file, not a pipe: nothing can block on a full pipe
        process = subprocess.Popen(
            [sys.executable, "-m", "core.cli", "serve", "--workers", "2", "--port", str(port)],
            cwd=ROOT,
            env=environ,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while len(_tcp(port, "0A")) < 2:  # both workers listening (a wait, not a timed assertion)
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)


def test_two_workers_listen_apart_and_share_the_connections(server):
    process, port = server
    workers = [pid for pid in _children(process.pid) if _sockets(pid) & _tcp(port, "0A")]
    assert len(workers) == 2  # each its own listening socket (the spawn helper holds none)

    connections = [_get_health(port) for _ in range(CONNECTIONS)]
    try:
        established = _tcp(port, "01")
        held = {pid: len(_sockets(pid) & established) for pid in workers}
        assert sum(held.values()) == CONNECTIONS, held
        assert all(count > 0 for count in held.values()), held  # not all on one worker
    finally:
        for conn in connections:
            conn.close()

    process.send_signal(signal.SIGTERM)
    assert process.wait(60) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_a_taken_port_stops_every_worker_with_an_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("serve", "--workers", "2", "--port", str(port), ZHIBU_SECRET_KEY="k" * 48)
    assert done.returncode == 1, done.stderr
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr and "could not start" in done.stderr
    assert "Traceback" not in done.stderr
