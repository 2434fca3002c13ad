"""Placeholder until the classifier lands (owned by the classifier work)."""
