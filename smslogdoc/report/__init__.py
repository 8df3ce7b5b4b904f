"""Stage 5, reports: what the commands print. `document` makes the report
document (docs/json.md) from a diagnosis, as typed structures, its findings'
texts rendered by `texts`; `redaction` is `--redact`, one pass over it;
`writers` names each output format and its writer (`text`, `short`,
`markdown`, `jsondoc`, `html`), every one of which writes that document;
`examined` says what was and was not read. `listing` is what `parse` prints;
`explain` renders `--explain`; `terminal` keeps log text inert on a terminal."""
