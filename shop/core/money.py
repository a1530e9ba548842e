"""Money is integer rupiah everywhere; this is the one place it becomes text."""


def format_rupiah(amount: int) -> str:
    """Format whole rupiah the Indonesian way: 25000 -> 'Rp25.000', -1500 -> '-Rp1.500'."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"rupiah amounts are int, got {type(amount).__name__}")
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")
