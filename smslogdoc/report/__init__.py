"""Stage 5, reports: what the commands print. `writers` maps each `diagnose
--format` to its module (`text`, `jsondoc`, `markdown`); `listing` is what
`parse` prints; `explain` renders `--explain`; `terminal` keeps log text inert
on a terminal."""
