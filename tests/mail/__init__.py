"""Mail outbox tests."""
