"""Reference data shipped with smslogdoc (error codes, zone names, log kinds, run models)."""
