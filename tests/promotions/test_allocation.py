"""Property-based tests of the allocation and the engine (pure functions, no database).

allocate(): parts non-negative, none above its line, summing exactly to the discount (capped at
the lines' total), each within one rupiah of its exact proportional share. choose()/offer():
stacked percent and amount discounts never take a line below zero, and free shipping only ever
touches courier shipping of the facilities it applies to.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shop.core.money import allocate
from shop.promotions.engine import Customer, Line, Rules, choose, offer, refusal

# The autouse database fixture is function-scoped; these tests never touch the database.
# (database=None: no .hypothesis directory; a failure prints its example to paste as @example)
FAST = settings(max_examples=200, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
CARTS = settings(FAST, max_examples=100)

NOW = datetime(2025, 8, 17, 3, 0)
ANON = Customer(signed_in=False, key=None)

values_st = st.lists(st.integers(min_value=0, max_value=10**9), max_size=25)
discount_st = st.integers(min_value=-10**6, max_value=10**11)


@FAST
@given(discount=discount_st, values=values_st)
@example(discount=100, values=[1, 1, 1])
@example(discount=1, values=[0, 0, 5])
@example(discount=10**11, values=[3, 0, 7])
@example(discount=5, values=[])
def test_allocate_parts_are_exact_bounded_and_proportional(discount, values):
    parts = allocate(discount, values)

    assert len(parts) == len(values)
    assert all(isinstance(part, int) for part in parts)
    assert all(0 <= part <= value for part, value in zip(parts, values, strict=True))
    total = sum(values)
    expected = max(0, min(discount, total))
    assert sum(parts) == expected
    if expected:
        for part, value in zip(parts, values, strict=True):
            exact = Fraction(expected * value, total)
            assert abs(part - exact) < 1  # largest remainder: floor or floor + 1
            if value == 0:
                assert part == 0


def test_allocate_largest_remainder_examples():
    assert allocate(100, [50, 50, 50]) == [34, 33, 33]  # ties go to the earlier line
    assert allocate(10, [3, 3, 4]) == [3, 3, 4]
    assert allocate(100, [1, 1, 1]) == [1, 1, 1]  # never more than the lines are worth
    assert allocate(7, [100, 200]) == [2, 5]  # 2.33 / 4.67: the bigger remainder gets the rupiah
    assert allocate(0, [5, 5]) == [0, 0]
    assert allocate(50, [0, 0]) == [0, 0]


# ------------------------------------------------------------------ random carts and promotions

FACILITIES = (1, 2, 3)
CATEGORIES = (10, 11, 12)


@st.composite
def carts(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    return [
        Line(key=100 + i, facility_id=draw(st.sampled_from(FACILITIES)),
             category_ids=frozenset(draw(st.sets(st.sampled_from(CATEGORIES), min_size=1,
                                                 max_size=2))),
             value=draw(st.integers(min_value=0, max_value=5_000_000)))
        for i in range(count)
    ]


@st.composite
def promotions(draw, promotion_id, benefit=None, automatic=None):
    benefit = benefit or draw(st.sampled_from(("percent", "amount", "free_shipping")))
    value = (draw(st.integers(min_value=1, max_value=90)) if benefit == "percent"
             else draw(st.integers(min_value=1, max_value=10_000_000)) if benefit == "amount"
             else 0)
    scope = draw(st.sampled_from(("all", "facilities", "categories", "products")))
    pool = {"all": [], "facilities": [("facility", f) for f in FACILITIES],
            "categories": [("category", c) for c in CATEGORIES],
            "products": [("product", 100 + i) for i in range(8)]}[scope]
    targets = frozenset(draw(st.sets(st.sampled_from(pool), min_size=1))) if pool else frozenset()
    return Rules(
        id=promotion_id, name=f"P{promotion_id}", benefit=benefit, value=value, scope=scope,
        targets=targets, min_subtotal=draw(st.sampled_from((0, 0, 50_000))),
        first_order_only=False, signed_in_only=False,
        starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=1), usable=True,
        uses_left=None, budget_left=draw(st.one_of(st.none(),
                                                   st.integers(min_value=0, max_value=10**7))),
        per_customer=None, funding="partner",
        automatic=draw(st.booleans()) if automatic is None else automatic,
        combinable=draw(st.booleans()),
    )


@st.composite
def shipping_for(draw, lines):
    """Courier shipping for some of the cart's facilities (the others are picked up)."""
    couriers = draw(st.sets(st.sampled_from(sorted({line.facility_id for line in lines}))))
    return {f: draw(st.integers(min_value=0, max_value=200_000)) for f in sorted(couriers)}


def assert_outcome_within_the_cart(outcome, lines, shipping):
    taken = {line.key: 0 for line in lines}
    shipping_taken = dict.fromkeys(shipping, 0)
    for made in outcome.offers:
        assert all(part >= 0 for part in made.line_parts.values())
        assert all(part >= 0 for part in made.shipping_parts.values())
        if made.rules.benefit == "free_shipping":
            assert made.line_parts == {}
        else:
            assert made.shipping_parts == {}
        for key, part in made.line_parts.items():
            taken[key] += part
        for facility_id, part in made.shipping_parts.items():
            assert facility_id in shipping  # only courier shipping is ever discounted
            shipping_taken[facility_id] += part
        if made.rules.budget_left is not None:
            assert made.amount <= made.rules.budget_left
        assert made.amount > 0
        assert sum(made.per_facility(lines).values()) == made.amount
    for line in lines:
        assert taken[line.key] <= line.value  # never a negative line
    for facility_id, taken_off in shipping_taken.items():
        assert taken_off <= shipping[facility_id]
    subtotal = sum(line.value for line in lines)
    assert 0 <= outcome.total <= subtotal + sum(shipping.values())
    assert outcome.total == sum(taken.values()) + sum(shipping_taken.values())


@CARTS
@given(data=st.data())
def test_a_percent_discount_never_makes_a_line_or_total_negative(data):
    lines = data.draw(carts())
    rules = data.draw(promotions(1, benefit="percent"))
    made = offer(rules, lines, None, {line.key: line.value for line in lines})

    assert made.shipping_parts == {}
    eligible = [line for line in lines if line.key in made.line_parts]
    base = sum(line.value for line in eligible)
    cap = base * rules.value // 100
    if rules.budget_left is not None:
        cap = min(cap, rules.budget_left)
    assert made.amount == cap <= base * 90 // 100
    for line in lines:
        assert 0 <= made.line_parts.get(line.key, 0) <= line.value
    assert sum(line.value for line in lines) - made.amount >= 0


@CARTS
@given(data=st.data())
def test_stacked_promotions_never_take_more_than_the_cart(data):
    lines = data.draw(carts())
    shipping = data.draw(shipping_for(lines))
    candidates = [data.draw(promotions(i, automatic=True)) for i in range(1, 4)]
    code = data.draw(st.one_of(st.none(), promotions(9, automatic=False)))

    outcome = choose(candidates, code, lines, ANON, NOW, shipping)

    assert_outcome_within_the_cart(outcome, lines, shipping)
    chosen = [o.rules for o in outcome.offers]
    assert len(chosen) == len({r.id for r in chosen})
    if len(chosen) > 1:  # a stack: at most one code plus combinable automatic promotions
        assert sum(not r.automatic for r in chosen) <= 1
        assert all(r.combinable for r in chosen if r.automatic)
    if code is not None and outcome.code_refusal is None:
        assert code.id in {r.id for r in chosen}
    # the best for the customer: never less than any single applicable promotion alone
    for single in candidates + ([code] if code is not None else []):
        if refusal(single, lines, ANON, NOW) is None:
            alone = offer(single, lines, shipping, {line.key: line.value for line in lines})
            assert outcome.total >= alone.amount


@CARTS
@given(data=st.data())
def test_free_shipping_touches_only_courier_shipping(data):
    lines = data.draw(carts())
    shipping = data.draw(shipping_for(lines))
    rules = data.draw(promotions(1, benefit="free_shipping"))

    made = offer(rules, lines, shipping, {line.key: line.value for line in lines})

    assert made.line_parts == {}
    in_scope = {line.facility_id for line in lines
                if _in_scope_for_test(rules, line) and line.value > 0}
    assert set(made.shipping_parts) <= set(shipping) & in_scope
    for facility_id, part in made.shipping_parts.items():
        assert 0 <= part <= shipping[facility_id]
    full = sum(shipping[f] for f in set(shipping) & in_scope)
    expected = full if rules.budget_left is None else min(full, rules.budget_left)
    assert made.amount == expected
    if rules.budget_left is None:
        assert made.shipping_parts == {f: shipping[f] for f in set(shipping) & in_scope
                                       if shipping[f] > 0}

    # through the stacking rule, as a code, with everything picked up: nothing taken off
    picked_up = choose([], replace(rules, automatic=False), lines, ANON, NOW, {})
    assert picked_up.total == 0 and picked_up.offers == []


def _in_scope_for_test(rules, line):
    if rules.scope == "all":
        return True
    if rules.scope == "facilities":
        return ("facility", line.facility_id) in rules.targets
    if rules.scope == "products":
        return ("product", line.key) in rules.targets
    return any(("category", c) in rules.targets for c in line.category_ids)


def test_free_shipping_example_courier_and_pickup():
    lines = [Line(1, 1, frozenset({10}), 90_000), Line(2, 2, frozenset({10}), 150_000)]
    rules = Rules(
        id=1, name="Ongkir", benefit="free_shipping", value=0, scope="all", targets=frozenset(),
        min_subtotal=0, first_order_only=False, signed_in_only=False,
        starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=1), usable=True,
        uses_left=None, budget_left=None, per_customer=None, funding="partner", automatic=True,
        combinable=False)

    outcome = choose([rules], None, lines, ANON, NOW, {1: 14_000})  # facility 2: pickup

    [made] = outcome.offers
    assert made.line_parts == {} and made.shipping_parts == {1: 14_000}
    assert made.per_facility(lines) == {1: 14_000}
