"""The unit check the dock makes before a run: the same test verify makes after it."""

from demolition_verifier.core.definitions import AreaUnit
from demolition_verifier.core.unit_check import unit_fit


def test_a_mu_column_does_not_fit_square_metres():
    fit = unit_fit([15.0, "15", 7.5, None], [10_000.0, 10_000.0, 5_000.0, 1_000.0], AreaUnit.SQUARE_METRE)
    assert fit.checked == 3 and fit.fits[AreaUnit.MU] == 3 and fit.fits[AreaUnit.SQUARE_METRE] == 0
    assert not fit.given_fits and fit.best is AreaUnit.MU
    assert unit_fit([15.0, 15.0], [10_000.0, 10_000.0], AreaUnit.MU).given_fits


def test_nothing_to_check_fits():
    assert unit_fit([None, "—"], [10.0, 10.0], AreaUnit.SQUARE_METRE).given_fits
    half = unit_fit([100.0, 15.0], [100.0, 10_000.0], AreaUnit.SQUARE_METRE)
    assert half.given_fits, "half the patches agree: verify would not call the unit wrong"
