"""Heads sent upward (check_audit_log HEADS): each must still be in the chain, in the order sent."""

from __future__ import annotations

from demolition_verifier.core.audit import SentHead, check_heads, parse_heads
from demolition_verifier.core.audit.chain import GENESIS

HASHES = [f"{i:02x}" * 32 for i in range(1, 6)]  # entries 1..5


def test_a_list_as_people_keep_it_is_read():
    text = [
        "# heads sent with the bulletins\n",
        f"2026-12-01 进度通报  {HASHES[1]}\n",
        "\n",
        f"2026-12-02 报表 {HASHES[3][:16].upper()}  (16 digits from paper)\n",
        "no hash on this line\n",
    ]
    assert parse_heads(text) == [SentHead(2, HASHES[1]), SentHead(4, HASHES[3][:16])]


def test_every_head_found_in_order():
    check = check_heads(HASHES, [SentHead(1, HASHES[0]), SentHead(2, HASHES[2][:20]), SentHead(3, HASHES[4])])
    assert check.all_found and [seq for _h, seq in check.found] == [1, 3, 5]


def test_a_head_of_a_rewritten_chain_is_missing():
    rewritten = HASHES[:2] + ["ff" * 32, "ee" * 32]
    check = check_heads(rewritten, [SentHead(1, HASHES[1]), SentHead(2, HASHES[3])])
    assert not check.all_found and [h.line for h in check.missing] == [2]


def test_heads_found_in_another_order_than_sent():
    check = check_heads(HASHES, [SentHead(1, HASHES[3]), SentHead(2, HASHES[1])])
    assert not check.all_found and [h.line for h in check.out_of_order] == [2]


def test_the_genesis_is_entry_zero():
    assert check_heads([], [SentHead(1, GENESIS[:16])]).found == [(SentHead(1, GENESIS[:16]), 0)]
