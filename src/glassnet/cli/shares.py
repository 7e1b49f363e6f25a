"""A population cut into shares trained on the workers of a Dask cluster.

Members never interact, so a population may be trained in any number of shares and joined
(:func:`glassnet.train.population.join`) with the local run's results. A share whose worker
is lost is submitted again: a lost worker costs only its share.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from glassnet.train.population import Members, PopulationResult, fit_population, join


def train_share(args: tuple[Any, ...], members: Members) -> PopulationResult:
    """One share of a population (what a Dask worker runs)."""
    net, X, y, validation, cfg, scaler = args
    return fit_population(net, X, y, members, cfg, validation=validation, scaler=scaler)


def train_in_shares(
    args: tuple[Any, ...], members: Members, client: Any = None, shares: int | None = None
) -> PopulationResult:
    """``members`` trained locally (no ``client``) or in ``shares`` shares on ``client``'s
    workers (default one share per worker), joined in order."""
    if client is None:
        return train_share(args, members)
    n = shares or max(1, len(client.scheduler_info()["workers"]))
    edges = np.linspace(0, len(members), min(n, len(members)) + 1).astype(int)
    parts = [members.part(slice(a, b)) for a, b in zip(edges, edges[1:], strict=False)]
    return join(run_shares(client, args, parts), members)


def run_shares(client: Any, args: tuple[Any, ...], parts: Sequence[Members]) -> list[Any]:
    """Each share on the cluster; a share lost with its worker is submitted again."""
    from distributed import as_completed

    futures = {
        client.submit(train_share, args, part, pure=False): i for i, part in enumerate(parts)
    }
    results: dict[int, Any] = {}
    pending = as_completed(list(futures))
    for future in pending:
        i = futures.pop(future)
        try:
            results[i] = future.result()
            future.release()  # fetched: a worker lost later must not compute it again
        except Exception:  # the worker died (KilledWorker, CancelledError, lost connection)
            again = client.submit(train_share, args, parts[i], pure=False)
            futures[again] = i
            pending.add(again)
    return [results[i] for i in range(len(parts))]
