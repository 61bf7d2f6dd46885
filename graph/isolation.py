"""Taking capabilities away from a worker: its network, and memory beyond a limit.

Linux only, best effort: :func:`isolate_network` moves the calling thread (and the threads and
processes it starts later) into a new, empty network namespace, where no address, not even
127.0.0.1, can be reached. It needs root; elsewhere it returns ``False`` and the caller relies on
its other guards.
:func:`limit_memory` caps the address space of the calling process, so an allocation past the
limit fails there instead of exhausting the machine.

:class:`NoNetworkThread` runs calls on one thread that has no network (when the platform allows),
e.g. the SPARQL updates of a writable endpoint: the store stays in this process, but the engine
cannot open a connection while it applies an update.

Examples
--------
>>> runner = NoNetworkThread()
>>> runner.run(sum, [1, 2, 3])
6
>>> runner.close()
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["NoNetworkThread", "isolate_network", "limit_memory"]

log = logging.getLogger(__name__)

_CLONE_NEWNET = 0x40000000


def _unshare(flags: int) -> bool:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        return libc.unshare(flags) == 0
    except (OSError, AttributeError):
        return False


def isolate_network() -> bool:
    """Put the calling thread in a new network namespace with no interface up; ``True`` on success.

    Examples
    --------
    >>> isinstance(isolate_network.__doc__, str)
    True
    """
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        return False  # without root, no namespace: the SPARQL guard alone keeps the engine offline
    return _unshare(_CLONE_NEWNET)


def limit_memory(max_bytes: int | None) -> bool:
    """Cap the calling process's address space at ``max_bytes`` (``None``: no cap); ``True`` if set.

    Examples
    --------
    >>> limit_memory(None)
    False
    """
    if not max_bytes:
        return False
    try:
        import resource

        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = max_bytes if hard == resource.RLIM_INFINITY else min(max_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
        return True
    except (ImportError, ValueError, OSError) as err:
        log.warning("cannot limit memory to %d bytes: %s", max_bytes, err)
        return False


class NoNetworkThread:
    """One worker thread without network access (when :func:`isolate_network` succeeds there).

    ``isolated`` says whether the thread's network namespace is empty.
    """

    def __init__(self) -> None:
        self._jobs: queue.Queue = queue.Queue()
        ready = threading.Event()
        self.isolated = False

        def loop() -> None:
            self.isolated = isolate_network()
            ready.set()
            while True:
                job = self._jobs.get()
                if job is None:
                    return
                fn, args, kwargs, done, finished = job
                try:
                    done.append((True, fn(*args, **kwargs)))
                except BaseException as err:
                    done.append((False, err))
                finished.set()

        self._thread = threading.Thread(target=loop, name="seckg-no-network", daemon=True)
        self._thread.start()
        ready.wait(10)
        self._lock = threading.Lock()
        if not self.isolated:
            log.info("updates run with the network of this process (no namespace: pid %d)", os.getpid())

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Call ``fn(*args, **kwargs)`` on the thread and return its result (or raise its error)."""
        with self._lock:
            done: list = []
            finished = threading.Event()
            self._jobs.put((fn, args, kwargs, done, finished))
            finished.wait()
            ok, value = done[0]
        if ok:
            return value
        raise value

    def close(self) -> None:
        """Stop the thread."""
        self._jobs.put(None)
