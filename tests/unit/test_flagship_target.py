import pytest

from shop.catalog.flagship import meets_flagship_target


@pytest.mark.parametrize(
    ("count", "target", "met"),
    [(0, 2, False), (1, 2, False), (2, 2, True), (3, 2, True), (0, 0, True), (2, 3, False)],
)
def test_target_rule_at_its_boundaries(count, target, met):
    assert meets_flagship_target(count, target) is met
