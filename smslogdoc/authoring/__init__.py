"""For rule authors, above the library (they run it): each rule's example logs
run and checked (`examples`, `smslogdoc rules test`), and the coverage table of
the rules (`coverage`, `smslogdoc rules list --format markdown`)."""
