"""Tests of smslogdoc/cli: the commands as a user runs them."""
