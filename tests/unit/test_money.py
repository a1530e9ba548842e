import pytest

from shop.core.money import format_rupiah


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (0, "Rp0"),
        (1, "Rp1"),
        (999, "Rp999"),
        (1000, "Rp1.000"),
        (25_000, "Rp25.000"),
        (60_000, "Rp60.000"),
        (1_234_567, "Rp1.234.567"),
        (12_500_000, "Rp12.500.000"),
        (-1500, "-Rp1.500"),
    ],
)
def test_format_rupiah(amount, expected):
    assert format_rupiah(amount) == expected


@pytest.mark.parametrize("bad", [1.5, "1000", None, True])
def test_format_rupiah_refuses_non_integers(bad):
    with pytest.raises(TypeError):
        format_rupiah(bad)
