"""Heads sent upward: a county sends the log's head hash with each bulletin or report (to the city, or
on paper); later, every one of them must still be in the chain, in the order they were sent. A chain
rewritten after a head left the county's hands can hold its own new heads, never the ones sent."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .chain import GENESIS

_HEX = re.compile(r"\b[0-9a-fA-F]{16,64}\b")


@dataclass(frozen=True)
class SentHead:
    line: int  # where it stands in the list (1-based), as the user sees the file
    head: str  # lower-case hex, 16 to 64 digits (a prefix is enough, as typed from paper)


@dataclass(frozen=True)
class HeadsCheck:
    found: list[tuple[SentHead, int]]  # each head with the entry whose hash it is
    missing: list[SentHead]  # not in the chain: deleted or rewritten after it was sent
    out_of_order: list[SentHead]  # found, but before a head the list sent earlier

    @property
    def all_found(self) -> bool:
        return not self.missing and not self.out_of_order


def parse_heads(lines: Iterable[str]) -> list[SentHead]:
    """The head hashes of a list, one a line; anything else on a line (a date, a bulletin's name) and
    lines starting with # are ignored. A line with several hex runs takes the longest."""
    heads = []
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        runs = _HEX.findall(line)
        if runs:
            heads.append(SentHead(number, max(runs, key=len).lower()))
    return heads


def check_heads(hashes: Sequence[str], heads: Sequence[SentHead]) -> HeadsCheck:
    """Where each sent head stands in the chain's hashes (entry 1 first); the genesis is entry 0."""
    found: list[tuple[SentHead, int]] = []
    missing, out_of_order = [], []
    last = -1
    for sent in heads:
        seq = (
            0
            if GENESIS.startswith(sent.head)
            else next((i for i, value in enumerate(hashes, start=1) if value.startswith(sent.head)), -1)
        )
        if seq < 0:
            missing.append(sent)
            continue
        found.append((sent, seq))
        if seq < last:
            out_of_order.append(sent)
        last = max(last, seq)
    return HeadsCheck(found, missing, out_of_order)
