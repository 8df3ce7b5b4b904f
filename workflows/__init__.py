"""The workflows that ship with smslogdoc (installed as smslogdoc.bundled_workflows)."""
