"""Tests of smslogdoc/formats: each log format's grammar, and pastes damaged on the way."""
