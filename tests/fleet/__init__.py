"""Tests of smslogdoc/fleet: many machines' logs into causes ranked by machines hit."""
