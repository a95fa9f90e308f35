"""Where the map step runs: worker processes of this machine, or a Dask cluster.

An :class:`Executor` maps a plain module-level function over batches of plain
items and yields one result per item, **in input order**:

    fn(shared, batch) -> list of results, one per item of ``batch``

``shared`` (settings, a model as plain data) is sent to every worker once;
whatever a worker builds from it (the spaCy pipeline, the relation model) is
cached there by the task function, so it loads once per worker. At most
``in_flight`` batches are submitted and not yet handed to the caller
(backpressure: memory on the driver and in the cluster stays bounded however
long the input). A batch that raises is split and its items run one by one, so
only the item that fails is lost: ``on_failure(item, exc)`` gives its result
(e.g. a :class:`~kg.model.Problem`). A :class:`~kg.errors.KGError` other than an
:class:`~kg.errors.InputError` (a model missing on a worker, a bad setting) is
not an item's fault: it stops the map and reaches the caller.

:func:`open_executor` turns ``--dask local:N`` (a ``LocalCluster`` of N worker
processes, one thread each, on 127.0.0.1) or ``--dask tcp://HOST:PORT`` (a
running scheduler) into a :class:`DaskExecutor`; :class:`LocalProcesses` is the
same contract over ``multiprocessing`` (spawned processes). Dask is an optional
extra (``pip install 'wild-goose-kg[dask]'``).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from kg.errors import ClusterError, InputError, KGError, MissingDependencyError

__all__ = ["Executor", "LocalProcesses", "DaskExecutor", "open_executor", "executor_for", "batches", "require_dask"]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")
#: a task: ``fn(shared, batch)`` gives one result per item of ``batch``
Task = Callable[[Any, list], list]

#: seconds to wait for a remote scheduler and for its first worker
CONNECT_TIMEOUT = 30


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    it = iter(items)
    while chunk := list(itertools.islice(it, max(1, size))):
        yield chunk


def _fatal(exc: BaseException) -> bool:
    """An error that no single item caused (configuration, environment): stop the map."""
    return isinstance(exc, KGError) and not isinstance(exc, InputError)


class Executor:
    """Maps a task over batches of items, in order, with a bounded number of batches in flight."""

    #: worker slots (processes × threads): how many batches run at once
    workers: int = 1

    def map(self, fn: Task, items: Iterable[T], *, shared: Any = None, batch_size: int = 32,
            on_failure: Callable[[T, BaseException], R] | None = None,
            in_flight: int | None = None) -> Iterator[R]:
        """One result per item of ``items``, in input order (see the module docstring)."""
        limit = in_flight or 2 * self.workers + 1
        handle = self._start(shared)
        pending: dict[int, Any] = {}  # batch number → its running job (or its items' jobs, once split)
        done: dict[int, list] = {}
        source = enumerate(batches(items, batch_size))
        exhausted = False
        head = 0
        try:
            while True:
                while not exhausted and len(pending) + len(done) < limit:
                    nxt = next(source, None)
                    if nxt is None:
                        exhausted = True
                        break
                    n, batch = nxt
                    pending[n] = (batch, self._submit(handle, fn, batch))
                if not pending and not done:
                    return
                if head in done:
                    yield from done.pop(head)
                    head += 1
                    continue
                n, outcome = self._next_finished(handle, pending)
                batch, _job = pending.pop(n)
                if isinstance(outcome, BaseException):
                    if _fatal(outcome):
                        raise outcome
                    if len(batch) > 1:
                        log.info("a batch of %d failed (%s); running its items one by one", len(batch), outcome)
                        done[n] = [self._alone(handle, fn, item, on_failure) for item in batch]
                    else:
                        done[n] = [self._failed(batch[0], outcome, on_failure)]
                else:
                    done[n] = outcome
        finally:
            self._stop(handle, pending)

    def _alone(self, handle: Any, fn: Task, item: T, on_failure) -> Any:
        outcome = self._wait(self._submit(handle, fn, [item]))
        if isinstance(outcome, BaseException):
            if _fatal(outcome):
                raise outcome
            return self._failed(item, outcome, on_failure)
        return outcome[0]

    @staticmethod
    def _failed(item: Any, exc: BaseException, on_failure) -> Any:
        if on_failure is None:
            raise exc
        log.warning("item failed: %s: %s", type(exc).__name__, exc)
        return on_failure(item, exc)

    # the backend: start/stop a map, submit a batch, wait for one job or the next finished
    def _start(self, shared: Any) -> Any:
        raise NotImplementedError

    def _stop(self, handle: Any, pending: dict[int, Any]) -> None:
        pass

    def _submit(self, handle: Any, fn: Task, batch: list) -> Any:
        raise NotImplementedError

    def _wait(self, job: Any) -> list | BaseException:
        raise NotImplementedError

    def _next_finished(self, handle: Any, pending: dict[int, Any]) -> tuple[int, list | BaseException]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> "Executor":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --------------------------------------------------------------------------- local processes

_SHARED: Any = None  # what a LocalProcesses worker was given at start


def _set_shared(shared: Any) -> None:
    global _SHARED
    _SHARED = shared


def _run_local(fn: Task, batch: list) -> list:
    return fn(_SHARED, batch)


class LocalProcesses(Executor):
    """``jobs`` spawned processes of this machine (:mod:`concurrent.futures`)."""

    def __init__(self, jobs: int) -> None:
        self.workers = max(1, jobs)

    def _start(self, shared: Any) -> Any:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(self.workers, mp_context=mp.get_context("spawn"), initializer=_set_shared,
                                   initargs=(shared,))

    def _stop(self, handle: Any, pending: dict[int, Any]) -> None:
        handle.shutdown(wait=True, cancel_futures=True)

    def _submit(self, handle: Any, fn: Task, batch: list) -> Any:
        return handle.submit(_run_local, fn, batch)

    def _wait(self, job: Any) -> list | BaseException:
        from concurrent.futures.process import BrokenProcessPool

        exc = job.exception()
        if isinstance(exc, BrokenProcessPool):
            raise ClusterError(f"a worker process died ({exc}); nothing was written") from None
        return exc if exc is not None else job.result()

    def _next_finished(self, handle: Any, pending: dict[int, Any]) -> tuple[int, list | BaseException]:
        from concurrent.futures import FIRST_COMPLETED, wait

        by_job = {job: n for n, (_batch, job) in pending.items()}
        finished, _ = wait(by_job, return_when=FIRST_COMPLETED)
        job = min(finished, key=lambda j: by_job[j])
        return by_job[job], self._wait(job)


# --------------------------------------------------------------------------- Dask


def require_dask() -> Any:
    """The ``distributed`` module, or a :class:`MissingDependencyError` naming the extra."""
    try:
        import distributed
    except ImportError:
        raise MissingDependencyError(
            "--dask needs the Python packages 'dask' and 'distributed'; "
            "install them with: pip install 'wild-goose-kg[dask]'"
        ) from None
    return distributed


class DaskExecutor(Executor):
    """A :class:`distributed.Client`: batches are Dask tasks, results come back as plain data.

    ``as_completed`` tells which batch finished; results are handed on in input
    order and each future is released as soon as its result is read. A worker
    that dies is the scheduler's business: it runs the lost tasks elsewhere
    (up to ``distributed.scheduler.allowed-failures`` times, then the batch's
    items are tried one by one and the one that kills workers is reported).
    """

    def __init__(self, client: Any, *, cluster: Any = None) -> None:
        self.client = client
        self._cluster = cluster  # a LocalCluster we started (closed with the executor)
        threads = sum(client.nthreads().values()) if client.status == "running" else 0
        self.workers = max(1, threads)

    @property
    def address(self) -> str:
        return str(self.client.scheduler.address)

    def _start(self, shared: Any) -> Any:
        dist = require_dask()
        # a list of one: scatter would send the items of a tuple or list one by one
        future = self.client.scatter([shared], broadcast=True, hash=False)[0] if shared is not None else None
        return {"shared": future, "ac": dist.as_completed(loop=self.client.loop)}

    def _stop(self, handle: Any, pending: dict[int, Any]) -> None:
        for _batch, job in pending.values():
            job.cancel()
        if handle["shared"] is not None:
            handle["shared"].release()

    def _submit(self, handle: Any, fn: Task, batch: list) -> Any:
        future = self.client.submit(fn, handle["shared"], batch, pure=False)
        handle["ac"].add(future)
        return future

    def _wait(self, job: Any) -> list | BaseException:
        try:
            with contextlib.suppress(Exception):
                job.exception()  # waits for it (a cancelled job is said by _outcome)
            return self._outcome(job)
        finally:
            job.release()

    def _outcome(self, job: Any) -> list | BaseException:
        if job.status == "error":
            return job.exception()
        if job.status == "cancelled":
            raise ClusterError(f"the Dask cluster at {self.address} lost a task (cancelled); nothing was written")
        return job.result()

    def _next_finished(self, handle: Any, pending: dict[int, Any]) -> tuple[int, list | BaseException]:
        by_key = {job.key: n for n, (_batch, job) in pending.items()}
        for job in handle["ac"]:
            n = by_key.get(job.key)
            if n is None:
                continue  # a job run on its own (a split batch) was waited for directly
            try:
                return n, self._outcome(job)
            finally:
                job.release()
        raise ClusterError(f"the Dask cluster at {self.address} returned no result for {len(pending)} batch(es)")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()


def open_executor(spec: str) -> DaskExecutor:
    """``local:N`` (a LocalCluster of N processes on 127.0.0.1) or a scheduler address (``tcp://HOST:PORT``)."""
    dist = require_dask()
    spec = spec.strip()
    if spec.startswith("local:") or spec == "local":
        count = spec.partition(":")[2] or "0"
        if not count.isdigit() or int(count) < 1:
            raise ClusterError(f"--dask {spec}: give the number of worker processes, e.g. local:2")
        cluster = dist.LocalCluster(n_workers=int(count), threads_per_worker=1, processes=True,
                                    host="127.0.0.1", dashboard_address="127.0.0.1:0",
                                    silence_logs=logging.ERROR)
        return DaskExecutor(dist.Client(cluster, set_as_default=False), cluster=cluster)
    address = spec if "://" in spec else f"tcp://{spec}"
    try:
        client = dist.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); is `dask scheduler` running?") \
            from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError):
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers (waited {CONNECT_TIMEOUT} s); "
                           "start some with `dask worker ADDRESS --nthreads 1`") from None
    return DaskExecutor(client)


@contextlib.contextmanager
def executor_for(dask: "str | Executor | None") -> Iterator[Executor | None]:
    """The executor of a ``dask=`` argument: none, the one given (left open), or one opened (and closed) here."""
    if dask is None or isinstance(dask, Executor):
        yield dask
        return
    with open_executor(dask) as executor:
        yield executor
