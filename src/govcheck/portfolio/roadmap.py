"""The capability roadmap: which enterprise capabilities block pilots, and the order to build them.

A rule may name the capability whose absence its failure points at (``capability:`` in a pack,
``RuleInfo.capability``). A capability blocks a pilot when a blocking finding of such a rule
is the pilot's. Building a capability unblocks a pilot once every capability blocking it is
built, provided nothing else blocks it (no blocking finding of a rule without a capability,
no stopping signal from its metrics): ``plan`` is told which pilots those are.

The order is greedy: at each step the capability that unblocks the most pilots not yet
unblocked; a tie goes to the capability more still-blocked pilots need (the one that brings
the next step closer), then to the name. The result depends on the pilots alone, never on the
order capabilities were met. The rules are in ``docs/portfolio.md``.

This module knows nothing of the portfolio model: it takes plain labels and capability sets.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

# A pilot's blocking capabilities, by name, each with the ids of the rules behind it.
Gaps = tuple[tuple[str, tuple[str, ...]], ...]


class RoadmapStep(NamedTuple):
    """One capability in build order.

    ``blocks`` counts the pilots it blocks (``pilots``, in portfolio order), ``unblocked`` the
    pilots it is the last missing capability of, given the steps before (``unblocked_pilots``);
    ``unblocked_so_far`` is the running total. ``rules`` are the rules naming it that blocked a pilot.
    """

    capability: str
    blocks: int
    unblocked: int
    unblocked_so_far: int
    rules: tuple[str, ...]
    pilots: tuple[str, ...]
    unblocked_pilots: tuple[str, ...]


def plan(pilots: Iterable[tuple[str, Gaps, bool]]) -> tuple[RoadmapStep, ...]:
    """The roadmap of ``pilots``: (label, gaps, unblockable) for each pilot a capability blocks.

    ``unblockable`` is False for a pilot something other than capabilities also blocks: it
    counts towards ``blocks`` but is never unblocked.
    """
    blocked: dict[str, list[str]] = {}
    rules: dict[str, set[str]] = {}
    # Pilots that can be unblocked, by what they need, with their place in the portfolio.
    waiting: dict[frozenset[str], list[tuple[int, str]]] = {}
    for index, (name, gaps, unblockable) in enumerate(pilots):
        for capability, ids in gaps:
            blocked.setdefault(capability, []).append(name)
            rules.setdefault(capability, set()).update(ids)
        if unblockable and gaps:
            waiting.setdefault(frozenset(c for c, _ in gaps), []).append((index, name))
    steps: list[RoadmapStep] = []
    built: set[str] = set()
    so_far = 0
    while len(built) < len(blocked):
        best = min((c for c in blocked if c not in built), key=lambda c: _rank(c, built, waiting))
        built.add(best)
        done = [needs for needs in waiting if needs <= built]
        freed = sorted(pilot for needs in done for pilot in waiting.pop(needs))
        so_far += len(freed)
        steps.append(
            RoadmapStep(
                best,
                len(blocked[best]),
                len(freed),
                so_far,
                tuple(sorted(rules[best])),
                tuple(blocked[best]),
                tuple(name for _, name in freed),
            )
        )
    return tuple(steps)


def _rank(
    capability: str, built: set[str], waiting: dict[frozenset[str], list[tuple[int, str]]]
) -> tuple[int, int, str]:
    """Smallest first: most pilots unblocked by building it next, most still waiting on it, name."""
    with_it = built | {capability}
    freed = sum(len(names) for needs, names in waiting.items() if needs <= with_it)
    needed = sum(len(names) for needs, names in waiting.items() if capability in needs)
    return -freed, -needed, capability
