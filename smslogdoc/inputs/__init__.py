"""Stage 1, inputs: which logs to read (`paths`: folders walked, rotated parts
grouped oldest first, standard input), how each file's bytes become text
(`decoding`), and which format its text is in (`detect`)."""
