"""The bundled YAML rules, one per file. This file only makes the folder importable
as `smslogdoc.bundled_rules`, so that every kind of install finds the rules."""
