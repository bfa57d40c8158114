"""Row-block iteration and reductions over numpy, memory-mapped or dask arrays.

Sufficient statistics (``Z^T Z``, ``Z^T y``, pool statistics of the leverage
samplers) are sums over rows: ``row_reduce`` computes them block by block on
numpy input and block-parallel on dask input (one task per dask block, summed
with a tree reduction), so the n x D feature matrix never exists.
"""

from __future__ import annotations

from typing import Callable, Iterator

import numpy as np

DEFAULT_BATCH = 8192


def is_dask_array(X) -> bool:
    return type(X).__module__.split(".")[0] == "dask" and hasattr(X, "to_delayed")


def iter_row_blocks(arrays, batch_size: int = DEFAULT_BATCH) -> Iterator[tuple]:
    """Yield aligned row blocks ``(A[s:e], B[s:e], ...)`` of numpy-like arrays."""
    n = arrays[0].shape[0]
    for s in range(0, n, batch_size):
        yield tuple(None if a is None else np.asarray(a[s : s + batch_size]) for a in arrays)


def _tree_add(a, b):
    if a is None:
        return b
    if isinstance(a, tuple):
        return tuple(_tree_add(x, y) for x, y in zip(a, b))
    return a + b


def _local_reduce(fn, arrays, batch_size):
    total = None
    for blocks in iter_row_blocks(arrays, batch_size):
        total = _tree_add(total, fn(*blocks))
    return total


def row_reduce(fn: Callable, arrays, batch_size: int = DEFAULT_BATCH):
    """``sum over row blocks of fn(*blocks)``; ``fn`` returns an array or a tuple of arrays.

    ``arrays`` is a sequence of arrays with the same number of rows (``None``
    entries are passed through as ``None``). If the first is a dask array, every
    dask array is rechunked to whole rows and aligned, and the reduction runs
    as a dask graph (``dask.compute`` on the current scheduler).
    """
    arrays = list(arrays)
    if not is_dask_array(arrays[0]):
        return _local_reduce(fn, arrays, batch_size)
    import dask
    import dask.array as da

    X = arrays[0].rechunk({1: -1}) if arrays[0].ndim == 2 else arrays[0]
    row_chunks = X.chunks[0]
    parts = []
    for a in arrays:
        if a is None:
            parts.append(None)
            continue
        a = a if is_dask_array(a) else da.from_array(np.asarray(a), chunks=(row_chunks,) + tuple((s,) for s in np.shape(a)[1:]))
        a = a.rechunk((row_chunks,) + tuple((s,) for s in a.shape[1:]))
        parts.append(a.to_delayed().ravel())
    nblocks = len(row_chunks)
    delayed_fn = dask.delayed(_local_reduce, pure=True)
    partial = [
        delayed_fn(fn, [None if p is None else p[i] for p in parts], batch_size) for i in range(nblocks)
    ]
    while len(partial) > 1:  # pairwise tree reduction
        partial = [
            dask.delayed(_tree_add)(partial[i], partial[i + 1]) if i + 1 < len(partial) else partial[i]
            for i in range(0, len(partial), 2)
        ]
    (result,) = dask.compute(partial[0])
    return result
