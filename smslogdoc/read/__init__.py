"""Stage 3, reading: a log's events, read in full (`full`) or, for a large log,
scanned for the records the rules need (`plan`, `scanner`, `scan`, and
`helper` for a second process), both through one guard (`guard`); the
`--since/--until` window and `--merge` (`timeline`)."""
