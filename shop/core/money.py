"""Money is integer rupiah everywhere; this is the one place it becomes text."""


def format_rupiah(amount: int) -> str:
    """Format whole rupiah the Indonesian way: 25000 -> 'Rp25.000', -1500 -> '-Rp1.500'."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"rupiah amounts are int, got {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


def allocate(amount: int, values: list[int]) -> list[int]:
    """Split `amount` over `values` in proportion, whole rupiah, largest remainder first.

    The parts are non-negative, none exceeds its value, and they add up to exactly
    min(amount, sum(values)).
    """
    total = sum(values)
    if amount <= 0 or total <= 0:
        return [0] * len(values)
    amount = min(amount, total)
    shares = [amount * value for value in values]
    parts = [share // total for share in shares]
    left = amount - sum(parts)
    by_remainder = sorted(range(len(values)), key=lambda i: (-(shares[i] % total), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts
