"""Tests of smslogdoc/inputs: paths, folder walks, archives, decoding."""
