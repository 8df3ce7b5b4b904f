"""Stage 1, inputs: which logs to read (`paths`: folders walked, rotated parts
grouped oldest first, archives opened, standard input), and how each file's
bytes become text (`decoding`). Which format the text is in, each format
decides (`formats.registry.detect`)."""
