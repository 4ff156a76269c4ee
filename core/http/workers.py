"""``zhibu serve --workers N``: N uvicorn worker processes, each with its own listening socket.

uvicorn's own ``--workers`` shares one socket between the processes. Each wake-up of a worker's
event loop accepts every connection waiting on it, so a burst of clients (a frontend's connection
pool, a load balancer's keep-alive connections) lands on whichever worker woke first while the
others idle: on the agency bench two workers used 0.9 of 2 cores with 8 clients waiting.

Here every worker binds its own socket with ``SO_REUSEPORT``: the kernel spreads new connections
over the workers' sockets (by a hash of the client's address and port), so N workers take N cores'
share of the clients. The supervisor restarts a worker that dies, stops them all on SIGINT/SIGTERM,
and gives up (exit 1) when a worker cannot start — e.g. the port is taken.
"""

from __future__ import annotations

import multiprocessing
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

#: uvicorn's exit code of a worker whose startup failed (``uvicorn.config.STARTUP_FAILURE``)
STARTUP_FAILURE = 3
#: a worker that dies sooner than this after its start counts as a failed start
MIN_LIFETIME_SECONDS = 5.0

_spawn = multiprocessing.get_context("spawn")


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket bound to ``host:port`` with ``SO_REUSEPORT`` (one per worker)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def _worker(host: str, port: int, options: dict[str, Any]) -> None:
    import uvicorn

    try:
        sock = reuse_port_socket(host, port)
    except OSError as error:
        print(f"zhibu serve: cannot listen on {host}:{port}: {error}", file=sys.stderr, flush=True)
        sys.exit(STARTUP_FAILURE)
    uvicorn.Server(uvicorn.Config(**options)).run(sockets=[sock])


class Supervisor:
    """Runs ``workers`` worker processes until SIGINT/SIGTERM; restarts one that dies."""

    def __init__(self, workers: int, host: str, port: int, options: dict[str, Any]) -> None:
        self.count, self.host, self.port, self.options = workers, host, port, options
        self.processes: list[tuple[Any, float]] = []
        self.stopping = False

    def _start(self) -> tuple[Any, float]:
        process = _spawn.Process(target=_worker, args=(self.host, self.port, self.options), daemon=False)
        process.start()
        return process, time.monotonic()

    def _stop(self, *_: Any) -> None:
        self.stopping = True

    def run(self, *, poll: Callable[[float], None] = time.sleep) -> int:
        """Start the workers and watch them; the exit code of ``zhibu serve``."""
        if not hasattr(socket, "SO_REUSEPORT"):  # pragma: no cover - not on Linux/BSD/macOS
            print("zhibu serve: this system has no SO_REUSEPORT", file=sys.stderr)
            return 1
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, self._stop)
        self.processes = [self._start() for _ in range(self.count)]
        status = 0
        while not self.stopping:
            poll(0.5)
            for index, (process, started) in enumerate(self.processes):
                if process.is_alive() or self.stopping:
                    continue
                failed_start = (
                    process.exitcode == STARTUP_FAILURE or time.monotonic() - started < MIN_LIFETIME_SECONDS
                )
                if failed_start:
                    print(
                        f"zhibu serve: worker {process.pid} could not start (exit {process.exitcode})",
                        file=sys.stderr,
                    )
                    status, self.stopping = 1, True
                    break
                print(f"zhibu serve: worker {process.pid} died (exit {process.exitcode}); restarting",
                      file=sys.stderr)  # fmt: skip
                self.processes[index] = self._start()
        for process, _ in self.processes:
            if process.is_alive():
                process.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for process, _ in self.processes:
            process.join(30)
            if process.is_alive():
                process.kill()
        return status
