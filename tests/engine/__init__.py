"""Tests of smslogdoc/engine (and diagnose, parallel): events and rules in, findings out."""
