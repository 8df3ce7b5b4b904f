"""Tests of smslogdoc/codes: the error-code table and its look-ups."""
