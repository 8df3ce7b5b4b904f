"""Tests of smslogdoc/report: writers, wording, redaction."""
