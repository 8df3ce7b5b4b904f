"""Tests of smslogdoc/read: the full read, the scan of large logs, and the guard around both."""
