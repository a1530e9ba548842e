"""Order tests: expiry and the order life cycle."""
