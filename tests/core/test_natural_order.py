"""natural_order over ids of digits alone (by their numbers) is the order natural_key gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from demolition_verifier.core.report_model import natural_key, natural_order

DIGITS = st.text(st.sampled_from("0123456789٠١٢٣٤٥٦٧٨٩０１"), min_size=1, max_size=20)


@settings(max_examples=300, deadline=None)
@given(st.lists(DIGITS, max_size=30) | st.lists(DIGITS | st.sampled_from(["H2", "H10", "", "2a"]), max_size=30))
def test_the_order_of_ids_of_digits(ids):
    assert natural_order(ids) == sorted(range(len(ids)), key=lambda i: natural_key(ids[i]))


def test_equal_numbers_keep_their_order():
    assert natural_order(["7", "007", "10", "07", "٧"]) == [0, 1, 3, 4, 2]
    assert natural_order([None, "2", "1"]) == [0, 2, 1]
