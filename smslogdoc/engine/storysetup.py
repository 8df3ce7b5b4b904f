"""What the story book needs to follow the workflows through logs of one kind
and name: the workflow events that may occur there (found in a record by one
prefilter), what each marks (`uses`) and the links it makes. Logs alike share
one setup: thousands of differently named logs make a handful."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from smslogdoc.prefilter import Prefilter
from smslogdoc.rules.model import LogScope
from smslogdoc.rules.workflow import Link, Use, Workflow

MAX_SETUPS = 4096
"""Setups remembered by log kind and name (the shared ones are few)."""


@dataclass
class Setup:
    """For logs of one kind and name: the workflows' events that may occur, their uses and links."""

    prefilter: Prefilter[tuple[int, str]]
    plain: bool
    """Whether a record's text, severity and component decide which events it matches."""
    uses: dict[tuple[int, str], list[Use]]
    links: dict[tuple[int, str], list[Link]]
    follows: dict[tuple[int, str], list[Link]]
    """Links whose second event is this one's (`next`): keyed by the second event."""


class Setups:
    """The setup of each log kind and name, made when first needed."""

    def __init__(self, workflows: Sequence[Workflow]) -> None:
        self.workflows = workflows
        self._setups: dict[tuple[str | None, str], Setup] = {}
        self._shared: dict[tuple[tuple[int, str], ...], Setup] = {}
        """Setups by the workflow events they hold: logs alike share one (and its prefilter)."""

    def of(self, scope: LogScope) -> Setup:
        """The setup of a log's kind and name, shared with every log whose
        workflow events are the same (those remembered by name are bounded)."""
        known = self._setups.get((scope.kind, scope.name))
        if known is None:
            known = self._made(scope)
            if len(self._setups) >= MAX_SETUPS:
                self._setups.clear()
            self._setups[(scope.kind, scope.name)] = known
        return known

    def _made(self, scope: LogScope) -> Setup:
        entries: list[tuple[tuple[int, str], tuple[str, ...]]] = []
        for number, workflow in enumerate(self.workflows):
            if workflow.applies(scope):
                entries += [
                    ((number, name), matcher.literals)
                    for name, matcher in workflow.events.items()
                    if not matcher.logs or scope.is_one_of(matcher.logs)
                ]
        signature = tuple(key for key, _ in entries)
        shared = self._shared.get(signature)
        if shared is not None:
            return shared
        setup = Setup(
            Prefilter(entries),
            all(self.workflows[number].events[name].by_text for number, name in signature),
            {},
            {},
            {},
        )
        for number in dict.fromkeys(number for number, _ in signature):
            workflow = self.workflows[number]
            used = workflow.uses
            for owner, name in signature:
                if owner == number:
                    setup.uses[(number, name)] = used.get(name, [])
            for link in workflow.links:
                setup.links.setdefault((number, link.event), []).append(link)
                if link.next is not None:
                    setup.follows.setdefault((number, link.next), []).append(link)
        self._shared[signature] = setup
        return setup
