"""The rule language: its nouns (`model`), checking a rule file (`schema`),
finding and loading rules (`load`), texts and durations (`templates`), YAML
with line numbers (`yamlnodes`), running a rule's examples (`examples`) and the
coverage table (`coverage`). The literals a pattern needs and the one-pass
prefilter over them are shared with the log kinds: `smslogdoc.literals`,
`smslogdoc.prefilter`."""
