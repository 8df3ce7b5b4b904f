"""Tests of smslogdoc/rules and of the bundled rules in rules/."""
