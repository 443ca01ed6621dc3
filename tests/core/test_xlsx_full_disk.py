"""A workbook saved onto a disk that fills up while its sheets are compressed a few thousand rows at a
time: the disk's own error (an OSError, which the exports refuse in words), no file left behind."""

from __future__ import annotations

import random

import pytest
from helpers import small_tmpfs

from demolition_verifier.formats.xlsx import Style, Workbook


@pytest.fixture
def small_disk(tmp_path):
    with small_tmpfs(tmp_path, "1m") as mount:
        yield mount


def _book(rows: int) -> Workbook:
    book = Workbook()
    sheet = book.add_sheet("表")
    style = [Style(number_format="0.00")] * 3
    rng = random.Random(rows)  # figures that compress little: the sheet itself fills the disk
    sheet.add_rows(1, [[f"P{i % 9}", rng.random(), rng.random() * 1e6] for i in range(rows)], [style] * rows)
    return book


def test_a_full_disk_is_the_disks_error_and_leaves_nothing(small_disk):
    _book(100).save(str(small_disk / "small.xlsx"))  # room for a small one
    (small_disk / "small.xlsx").unlink()
    with pytest.raises(OSError):
        _book(60_000).save(str(small_disk / "big.xlsx"))  # past 1 MB however it is compressed
    assert list(small_disk.iterdir()) == []
    _book(100).save(str(small_disk / "again.xlsx"))  # nothing held: the disk takes the next one
    assert [p.name for p in small_disk.iterdir()] == ["again.xlsx"]


def test_a_sheet_that_fails_half_written_is_its_own_error_and_leaves_nothing(tmp_path):
    book = _book(20_000)

    class Unwritable:
        def __str__(self) -> str:
            raise RuntimeError("a value that cannot be written")

    book.sheets[0].add_rows(30_000, [[Unwritable()]], [[None]])  # after the first rows are compressed
    with pytest.raises(RuntimeError, match="cannot be written"):
        book.save(str(tmp_path / "r.xlsx"))
    assert list(tmp_path.iterdir()) == []
