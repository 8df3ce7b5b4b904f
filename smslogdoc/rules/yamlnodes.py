"""YAML for untrusted rule files: plain data only, with the line of every key.

PyYAML's safe composer builds the node tree (no Python tags are ever
constructed); this module turns it into dicts, lists and scalars itself, so it
can refuse what a rule never needs: tags beyond the core schema, duplicate
keys, and alias expansion beyond a fixed number of nodes (the "billion laughs").
It also records the source line of every key, so a rule error can say where.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

import yaml

from smslogdoc.data.yamlload import LOADER
from smslogdoc.rules import yamlcache

MAX_NODES = 100_000
"""Nodes one document may expand to, aliases included."""

_CORE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

Path = tuple[object, ...]


class YamlError(ValueError):
    """The YAML is unusable; `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Document:
    """A loaded document and where its keys are."""

    data: object
    lines: dict[Path, int] = field(default_factory=dict)

    def line(self, path: Path) -> int | None:
        """The line of the key at `path`, or of its nearest parent."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())


def _hint(error: yaml.MarkedYAMLError, text: str) -> str:
    """What to do about the YAML mistakes rule writers make: a plain value
    holding ': ' (`diagnosis: Drive C: is full.`) must be quoted."""
    mark = error.problem_mark
    if "mapping values are not allowed" not in str(error.problem) or mark is None:
        return ""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    key, _, value = line.strip().partition(": ")
    value = value.split(" #", 1)[0].rstrip()  # a comment is not part of the value
    if not value:
        return "; a value that holds ': ' must be quoted"
    quoted = value.replace("\\", "\\\\").replace('"', '\\"')
    return f"; a value that holds ': ' must be quoted, e.g. {key}: \"{quoted}\""


def load(text: str, *, positions: bool = True) -> Document:
    """Load one YAML document from `text`; raises YamlError. Without
    `positions` (a trusted file, such as a bundled rule: its errors are the
    test suite's to find) the document is read in one pass of the C loader,
    with no line numbers."""
    if not positions:
        return Document(_trusted(text))
    try:
        node = yaml.compose(text, Loader=LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        raise YamlError(
            f"invalid YAML: {error.problem}{_hint(error, text)}", mark.line + 1 if mark else None
        ) from None
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {error}") from None
    document = Document(None)
    if node is None:
        return document
    budget = [MAX_NODES]
    document.data = _convert(node, (), document, budget)
    return document


def _trusted(text: str) -> object:
    """A trusted file's data: kept as JSON from an earlier run under the hash
    of its bytes (`yamlcache`: YAML is the larger part of loading the bundled
    rules), else read by the C loader and kept."""
    try:
        return yamlcache.parsed(text.encode("utf-8", "surrogatepass"), text)
    except yaml.YAMLError as error:
        raise YamlError(f"invalid YAML: {error}") from None


def _convert(node: yaml.Node, path: Path, document: Document, budget: list[int]) -> object:
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlError(
            f"document expands to more than {MAX_NODES:,} nodes (alias bomb?)", node.start_mark.line + 1
        )
    if node.tag not in _CORE_TAGS:
        raise YamlError(f"unsupported YAML tag {node.tag!r}", node.start_mark.line + 1)
    document.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Hashable, object] = {}
        for key_node, value_node in node.value:
            key = _convert(key_node, path, document, budget)
            if not isinstance(key, Hashable) or isinstance(key, (list, dict)):
                raise YamlError("a mapping key must be a plain value", key_node.start_mark.line + 1)
            if key in result:
                raise YamlError(f"duplicate key {key!r}", key_node.start_mark.line + 1)
            child = (*path, key)
            document.lines[child] = key_node.start_mark.line + 1
            result[key] = _convert(value_node, child, document, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, index), document, budget) for index, item in enumerate(node.value)]
    if node.tag == _STR:
        return node.value  # most scalars: no constructor needed
    return _Constructor.scalar(node)


_STR = "tag:yaml.org,2002:str"


class _Constructor(yaml.SafeLoader):
    """Only used for its scalar resolution (int, bool, null, float, str)."""

    _instance: _Constructor | None = None

    @classmethod
    def scalar(cls, node: yaml.Node) -> object:
        if cls._instance is None:
            cls._instance = cls("")
        return cls._instance.construct_object(node, deep=True)
