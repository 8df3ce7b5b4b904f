"""The one YAML loader for smslogdoc's tables and rules: PyYAML's safe loader,
in C where PyYAML was built with it (the tables are large; the pure-Python
loader takes several times as long)."""

from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
