"""Spot-check samples (抽查): a draw stratified by township that anyone can reproduce.

The same candidates and seed give the same sample on any machine, any Python or numpy version and
in any feature order: each township's candidates are sorted by patch id in natural order (H2 before
H10), then drawn by a partial Fisher-Yates shuffle whose random numbers come from SHA-256 of
(seed, township, counter) -- a generator whose sequence is fixed by the seed alone.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from .definitions import Status
from .messages import Refusal
from .words import UNNAMED_TOWNSHIP

MAX_SEED = 2**31 - 1  # fits a Processing integer parameter, so a printed seed can be typed back


def fresh_seed() -> int:
    return secrets.randbelow(MAX_SEED) + 1


def natural_key(text: str | None) -> tuple:
    """'H2' < 'H10' < 'h11'; digits compare as numbers, the text itself breaks remaining ties."""
    text = text or ""
    parts = re.split(r"(\d+)", text)
    # Even positions are text, odd ones digits: elements at one position always compare alike.
    key = tuple((int(p), len(p)) if i % 2 else p.casefold() for i, p in enumerate(parts))
    return (key, text)


def parse_statuses(text: str | None) -> list[str]:
    """'pass, fail' -> ['pass', 'fail']; unknown codes are refused."""
    codes = [c.strip().lower() for c in (text or "").split(",") if c.strip()]
    if not codes:
        codes = [Status.PASS.value]
    valid = [s.value for s in Status]
    bad = [c for c in codes if c not in valid]
    if bad:
        raise Refusal("bad_status_codes", codes=",".join(bad), valid=", ".join(valid))
    return list(dict.fromkeys(codes))


def sample_size(eligible: int, count: int, percent: float) -> int:
    """COUNT per township; when COUNT is 0, PERCENT of it rounded up and at least 1."""
    if eligible <= 0:
        return 0
    if count > 0:
        return min(count, eligible)
    if not 0 < percent <= 100:
        raise Refusal("sample_size", percent=percent)
    share = Fraction(str(percent)) * eligible / 100  # exact: 30 % of 10 is 3, not 3.0000000000000004
    return min(eligible, max(1, math.ceil(share)))


class _Stream:
    """Uniform integers below n from SHA-256 of (seed, stratum, counter)."""

    def __init__(self, seed: int, stratum: str) -> None:
        self.prefix = f"{int(seed)}\x1f{stratum}\x1f".encode()
        self.counter = 0

    def below(self, n: int) -> int:
        while True:  # rejection keeps it exactly uniform
            self.counter += 1
            value = int.from_bytes(hashlib.sha256(self.prefix + str(self.counter).encode()).digest(), "big")
            limit = (1 << 256) - (1 << 256) % n
            if value < limit:
                return value % n


@dataclass(frozen=True)
class Candidate:
    index: int  # the caller's feature index
    patch_id: str | None
    township: str | None
    status: str | None
    tiebreak: str = ""  # orders features sharing one id (e.g. a hash of their content)


@dataclass
class Stratum:
    township: str
    eligible: int
    drawn: list[Candidate]


def draw(
    candidates: Sequence[Candidate],
    seed: int,
    count: int = 1,
    percent: float = 0.0,
    statuses: Sequence[str] = (Status.PASS.value,),
) -> list[Stratum]:
    """The sample, township by township (townships in natural order; drawn patches in id order)."""
    if count < 0:
        raise Refusal("negative_parameter", name="COUNT", value=count)
    if count == 0 and not 0 < percent <= 100:
        raise Refusal("sample_size", percent=percent)
    wanted = set(statuses)
    strata: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        if candidate.status in wanted:
            strata.setdefault(candidate.township or UNNAMED_TOWNSHIP, []).append(candidate)
    out = []
    for township in sorted(strata, key=natural_key):
        pool = sorted(strata[township], key=lambda c: (natural_key(c.patch_id), c.tiebreak))
        k = sample_size(len(pool), count, percent)
        stream = _Stream(seed, township)
        for i in range(k):  # partial Fisher-Yates: pool[:k] becomes the draw
            j = i + stream.below(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        drawn = sorted(pool[:k], key=lambda c: (natural_key(c.patch_id), c.tiebreak))
        out.append(Stratum(township, len(pool), drawn))
    return out
