"""The random on-site check sample (随机实地抽查), reproducible from its recorded seed.

Algorithm ``py-random-sample-v1``: sort the population ids ascending, seed ``random.Random`` with the
integer seed, take ``random.sample(population, k)`` and sort the result. ``k`` is
``max(minimum, ceil(rate × n))``, capped at ``n``. Anyone holding the seed and the population can
recompute the draw (Python's seeded ``random`` is stable across versions for integer seeds).
"""

from __future__ import annotations

import math
import random
import secrets

ALGORITHM = "py-random-sample-v1"


def sample_size(n: int, rate: float, minimum: int) -> int:
    if n <= 0:
        return 0
    return min(n, max(int(minimum), math.ceil(round(rate * n, 9))))


def draw(population: list[int], seed: int, rate: float, minimum: int) -> list[int]:
    """The chosen ids (sorted) for ``population`` and ``seed``."""
    ordered = sorted(population)
    k = sample_size(len(ordered), rate, minimum)
    return sorted(random.Random(seed).sample(ordered, k))


def new_seed() -> int:
    """A fresh seed that fits a signed 64-bit column and a JavaScript number."""
    return secrets.randbelow(2**53)
