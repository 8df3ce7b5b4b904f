"""smslogdoc reads the logs of a Microsoft SMS 2.0, SMS 2003 or Configuration
Manager client (ccmsetup.log, execmgr.log, smsapm32.log, the site server's
mobileclient.tcf and their kin), works out why a client install or a software
distribution failed, and says what to do about it.

The library is usable on its own, a stage per subpackage (docs/architecture.md):
`inputs` finds the logs, `formats` and `read` turn them into events, `engine`
turns events into findings with the YAML rules of `rules`, `report` prints them;
`diagnose.diagnose(paths, rules)` runs it all, and `cli` is a thin command line
over it.
"""

__version__ = "0.1.0"
