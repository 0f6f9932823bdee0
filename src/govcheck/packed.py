"""Results of a run kept packed until a reporter reads them, so memory stays flat.

A run over 10,000 manifests holds every finding until the report is written, because the
report is sorted. Held as objects that was about 1.5 KB a manifest; packed (pickled and
compressed per chunk of manifests, in reported order) it is about a tenth of that, and each
pass of a reporter unpacks one chunk at a time. The newest chunk made in this process is held
as objects until another follows, so a run of one chunk (a pre-commit hook's) never packs.
"""

from __future__ import annotations

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


Batch = tuple[list[ManifestResult], list[Finding]]


def pack(results: list[ManifestResult], findings: list[Finding]) -> bytes:
    """One chunk: its manifests, and the findings of its files (problems included), sorted."""
    import pickle  # with zlib, only once a run has a second chunk or workers
    import zlib

    findings.sort(key=Finding.sort_key)
    return zlib.compress(pickle.dumps((results, findings), pickle.HIGHEST_PROTOCOL), 1)


def _unpack(blob: bytes) -> Batch:
    import pickle
    import zlib

    chunk = pickle.loads(zlib.decompress(blob))  # only what this process or its workers packed
    return cast("Batch", chunk)


class Packed:
    """Chunks in reported order: their findings, concatenated, are sorted as a whole."""

    def __init__(self) -> None:
        self.blobs: list[bytes] = []
        self.manifests = 0
        self.findings = 0
        self._held: Batch | None = None  # the newest chunk, when this process made it

    def add(self, blob: bytes, manifests: int, findings: int) -> None:
        """A packed chunk (a worker's), after the chunks before it."""
        self._pack_held()
        self.blobs.append(blob)
        self.manifests += manifests
        self.findings += findings

    def hold(self, results: list[ManifestResult], findings: list[Finding]) -> None:
        """A chunk made in this process, after the chunks before it: packed once another follows."""
        self._pack_held()
        findings.sort(key=Finding.sort_key)
        self._held = (results, findings)
        self.manifests += len(results)
        self.findings += len(findings)

    def _pack_held(self) -> None:
        if self._held is not None:
            self.blobs.append(pack(*self._held))
            self._held = None

    def _chunks(self) -> Iterator[Batch]:
        yield from map(_unpack, self.blobs)
        if self._held is not None:
            yield self._held

    def manifest_results(self) -> Lazy[ManifestResult]:
        return Lazy(lambda: (m for chunk in self._chunks() for m in chunk[0]), self.manifests)

    def all_findings(self) -> Lazy[Finding]:
        return Lazy(lambda: (f for chunk in self._chunks() for f in chunk[1]), self.findings)
