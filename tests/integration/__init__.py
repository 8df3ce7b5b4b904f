"""Across the stages: real logs, hostile input, properties, packaging, golden outputs."""
