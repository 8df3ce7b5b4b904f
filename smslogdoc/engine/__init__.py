"""Stage 4, the engine: events in, findings out. `loop` reads each log's
events once, placing each in a run of its program (`runs`) and feeding the
rules' conditions (`condition`, with the shapes in `shapes` and the state in
`state`); `results` turns what held into findings; `tracer` observes the loop
for `--explain`."""
