"""Deterministic identity: canonical keys, paper de-duplication, entity merging."""
