"""Reference data shipped with smslogdoc (error codes, zone names, log kinds, run models).
Imports nothing: installers and tests read its files (`importlib.resources`) without
smslogdoc's dependencies; `data.benign` reads the bundled lists of routine messages."""
