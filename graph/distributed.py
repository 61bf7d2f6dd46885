"""Running a function over many inputs on a Dask distributed cluster, results in input order.

The optional ``dask`` extra (``pip install 'seckg[dask]'``) lets the extraction of a large batch
run on many machines: a Dask scheduler hands inputs to workers, each worker runs the same pure
function the local pool runs, and the client gets the results back **in the order of the
inputs**, so the output is the same record for record whatever the cluster.

- :func:`require_dask` imports ``dask.distributed`` or raises :class:`DaskUnavailable` with a
  one-line message that says what to install;
- :func:`open_client` connects to a scheduler (``tcp://host:8786``) or, without an address,
  starts a :class:`~distributed.LocalCluster` of worker processes on this machine;
- :func:`ordered_map` submits tasks of ``chunk`` inputs each, at most ``window`` inputs in flight
  (memory stays flat however long the batch), gathers them as they complete
  (:func:`~distributed.as_completed`, each with its index) and yields the results in input order.

A task that fails on the cluster (a worker killed for memory: ``KilledWorker``) becomes one
result per input of it through ``on_failure``; losing the scheduler ends the run with
:class:`EngineError`.

Examples
--------
>>> with open_client(workers=1, processes=False) as client:
...     list(ordered_map(client, len, ["a", "bb", "ccc"], window=2))
[1, 2, 3]
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

__all__ = ["DaskUnavailable", "EngineError", "open_client", "ordered_map", "require_dask"]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

INSTALL_HINT = "install seckg[dask] (pip install 'seckg[dask]')"
CONNECT_TIMEOUT = 20.0
"""Seconds to wait for a scheduler given by address."""


class DaskUnavailable(RuntimeError):
    """``dask.distributed`` cannot be imported; the message says what to install."""


class EngineError(RuntimeError):
    """The cluster cannot be reached, or was lost during the run (message says which)."""


def require_dask() -> Any:
    """Import and return ``dask.distributed``, or raise :class:`DaskUnavailable`.

    Examples
    --------
    >>> require_dask().__name__
    'dask.distributed'
    """
    try:
        import dask.distributed
    except ImportError as err:
        raise DaskUnavailable(f"the Dask engine needs dask.distributed ({err}): {INSTALL_HINT}") from None
    return dask.distributed


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def _apply(function: Callable[[T], R], chunk: list[T]) -> list[R]:  # runs on a worker
    return [function(item) for item in chunk]


@contextlib.contextmanager
def open_client(
    scheduler: str | None = None,
    *,
    workers: int = 2,
    memory_mb: int | None = None,
    processes: bool = True,
) -> Iterator[Any]:
    """A Dask client of the scheduler at ``scheduler``, or of a new local cluster; closed on exit.

    Parameters
    ----------
    scheduler : str, optional
        Address of a running scheduler (``tcp://10.0.0.5:8786``). ``None`` starts a
        :class:`~distributed.LocalCluster` here, stopped on exit.
    workers : int
        Worker processes of the local cluster (one thread each: extraction holds the GIL).
    memory_mb : int, optional
        Memory limit of each local worker in MiB; a worker over it is restarted by its nanny and
        the task it ran reported as failed.
    processes : bool
        Local workers in processes (the default; threads share one GIL) or in this process.

    Raises
    ------
    EngineError
        The scheduler cannot be reached or the local cluster does not start.

    Examples
    --------
    >>> with open_client(workers=1, processes=False) as client:
    ...     sum(client.nthreads().values())
    1
    """
    distributed = require_dask()
    with contextlib.ExitStack() as stack:
        try:
            if scheduler:
                client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
            else:
                cluster = stack.enter_context(
                    distributed.LocalCluster(
                        n_workers=max(1, workers), threads_per_worker=1, processes=processes,
                        memory_limit=f"{memory_mb}MiB" if memory_mb else 0, dashboard_address="127.0.0.1:0",
                        silence_logs=logging.ERROR,
                    )
                )  # fmt: skip
                client = distributed.Client(cluster, set_as_default=False)
        except (OSError, TimeoutError, ValueError, RuntimeError) as err:
            where = f"the Dask scheduler at {scheduler}" if scheduler else "a local Dask cluster"
            raise EngineError(f"cannot reach {where}: {err}") from None
        stack.enter_context(client)
        log.info("Dask cluster: %s, %d worker threads", client.scheduler.address, _threads(client))
        yield client


def _threads(client: Any) -> int:
    return sum(client.nthreads().values()) or 1


def ordered_map(
    client: Any,
    function: Callable[[T], R],
    items: Iterable[T],
    *,
    chunk: int = 1,
    window: int | None = None,
    on_failure: Callable[[T, BaseException], R] | None = None,
) -> Iterator[R]:
    """Yield ``function(item)`` for every item, computed on the cluster, in the order of ``items``.

    Parameters
    ----------
    client : distributed.Client
        From :func:`open_client`.
    function : callable
        Picklable (a module-level function or a :func:`functools.partial` of one); it runs on the
        workers, so what it reads (files) must be reachable there.
    items : iterable
        Read lazily: only ``window`` of them are held at a time.
    chunk : int
        Inputs per task (a larger chunk spends less time in the scheduler per input).
    window : int, optional
        Most inputs submitted and not yet yielded (default: ``4 * chunk`` per worker thread).
    on_failure : callable, optional
        ``on_failure(item, exception)`` is the result of each input of a failed task; without it
        the exception is raised.

    Raises
    ------
    EngineError
        The scheduler was lost (the tasks were cancelled).

    Examples
    --------
    >>> with open_client(workers=2, processes=False) as client:
    ...     list(ordered_map(client, str.upper, iter("abcde"), chunk=2, window=4))
    ['A', 'B', 'C', 'D', 'E']
    """
    distributed = require_dask()
    chunk = max(1, chunk)
    window = max(chunk, window or 4 * chunk * _threads(client))
    tasks = enumerate(_chunks(items, chunk))
    run = uuid.uuid4().hex[:12]
    running: dict[Any, tuple[int, list[T]]] = {}
    finished: dict[int, list[R]] = {}
    completed = distributed.as_completed(loop=client.loop)
    held = 0  # inputs submitted and not yet yielded

    lost = (OSError, distributed.client.ClosedClientError)

    def submit() -> None:
        nonlocal held
        while held < window and (task := next(tasks, None)) is not None:
            index, inputs = task
            try:
                future = client.submit(_apply, function, inputs, key=f"seckg-{run}-{index}", pure=False)
            except lost as err:
                raise EngineError(f"lost the Dask cluster during the run: {err}") from None
            running[future] = task
            completed.add(future)
            held += len(inputs)

    submit()
    following = 0
    for future in completed:
        index, inputs = running.pop(future)
        finished[index] = _outcome(future, inputs, on_failure)
        future.release()
        while following in finished:
            results = finished.pop(following)
            held -= len(results)
            following += 1
            yield from results
        submit()


def _outcome(future: Any, inputs: list[T], on_failure: Callable[[T, BaseException], R] | None) -> list[R]:
    if future.status == "finished":
        return future.result()
    if future.status == "cancelled":
        raise EngineError(f"lost the Dask cluster during the run (task {future.key} was cancelled)")
    error = future.exception()
    if on_failure is None:
        raise error
    log.warning("task %s failed on the cluster: %s", future.key, error)
    return [on_failure(item, error) for item in inputs]
