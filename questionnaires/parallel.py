"""Pure work (scoring, generating demo data) spread over forked processes."""

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor

# The function the workers run; set before they fork, so they inherit it and all it refers to.
_inherited: Callable | None = None


def _call_inherited(batch):
    return _inherited(batch)


def forked_map[T, R](
    function: Callable[[T], R], batches: Iterable[T], *, workers: int
) -> Iterator[R]:
    """``function(batch)`` for each batch, in order: here if ``workers`` <= 1, else in
    ``workers`` forked processes.

    The workers inherit ``function`` instead of receiving it, so it may be a closure over a
    parsed rubric; only batches and results are pickled. It must not touch the database: the
    connection the workers inherit belongs to this process. Batches are produced here while the
    workers work on earlier ones, at most two per worker waiting. One map at a time per process.
    """
    if workers <= 1:
        yield from map(function, batches)
        return
    global _inherited
    _inherited = function
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            pending: deque = deque()
            for batch in batches:
                pending.append(pool.submit(_call_inherited, batch))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        _inherited = None
