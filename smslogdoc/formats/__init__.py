"""Stage 2, formats: one module per log format (`cmtrace`, `smstrace`, `copied`,
`ini`, and plain text in `lines` / `plaintext`), each holding its text grammar
and, for the formats large logs come in, its byte layout; all behind
`protocol.Format` and listed in `registry`."""
