"""Results of a run kept packed until a reporter reads them, so memory stays flat.

A run over 10,000 manifests holds every finding until the report is written, because the
report is sorted. Held as objects that was about 1.5 KB a manifest; packed (pickled and
compressed per chunk of manifests, in reported order) it is about a tenth of that, and each
pass of a reporter unpacks one chunk at a time.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar, cast, overload

from govcheck.model import Finding, ManifestResult

T = TypeVar("T")


class Lazy(Sequence[T]):
    """A sequence that produces its items again on every pass instead of holding them."""

    __slots__ = ("_items", "_length")

    def __init__(self, items: Callable[[], Iterable[T]], length: int) -> None:
        self._items, self._length = items, length

    def __iter__(self) -> Iterator[T]:
        return iter(self._items())

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        return tuple(self)[index]  # rare (tests, plugins); reporters iterate

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(other) == len(self) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Lazy({len(self)} items)"


def pack(results: list[ManifestResult], findings: list[Finding]) -> bytes:
    """One chunk: its manifests, and the findings of its files (problems included), sorted."""
    findings.sort(key=Finding.sort_key)
    return zlib.compress(pickle.dumps((results, findings), pickle.HIGHEST_PROTOCOL), 1)


def _unpack(blob: bytes) -> tuple[list[ManifestResult], list[Finding]]:
    chunk = pickle.loads(zlib.decompress(blob))  # only what this process or its workers packed
    return cast("tuple[list[ManifestResult], list[Finding]]", chunk)


class Packed:
    """Chunks in reported order: their findings, concatenated, are sorted as a whole."""

    def __init__(self) -> None:
        self.blobs: list[bytes] = []
        self.manifests = 0
        self.findings = 0

    def add(self, blob: bytes, manifests: int, findings: int) -> None:
        self.blobs.append(blob)
        self.manifests += manifests
        self.findings += findings

    def manifest_results(self) -> Lazy[ManifestResult]:
        return Lazy(lambda: (m for blob in self.blobs for m in _unpack(blob)[0]), self.manifests)

    def all_findings(self) -> Lazy[Finding]:
        return Lazy(lambda: (f for blob in self.blobs for f in _unpack(blob)[1]), self.findings)
