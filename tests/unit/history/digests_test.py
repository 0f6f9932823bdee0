"""A run says which bytes it judged: each manifest's sha256 as read, and the waiver file's."""

from __future__ import annotations

import hashlib
import json
import pickle
from pathlib import Path

from govcheck.api import CheckSettings, run_check
from govcheck.model import Digest, Finding, ManifestResult
from tests.helpers import MINI, TODAY, check, manifest, write


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_each_manifest_carries_the_sha256_of_its_file_as_read(tmp_path: Path) -> None:
    result = check(tmp_path, manifest())
    (only,) = result.manifests
    assert only.sha256 == sha256(tmp_path / "pilot.yaml")


def test_documents_of_one_file_share_its_digest_and_every_worker_count_agrees(tmp_path: Path) -> None:
    docs = [manifest(**{"metadata.id": f"p{i}"}) for i in range(3)]
    text = "\n---\n".join(json.dumps(d) for d in docs)
    for i in range(70):  # enough files for several workers
        write(tmp_path / f"m{i:02}.yaml", text if i == 0 else manifest(**{"metadata.id": f"q{i}"}))
    serial, forked = (
        run_check(CheckSettings(paths=(str(tmp_path),), packs=(MINI,), today=TODAY, cwd=tmp_path, jobs=jobs))
        for jobs in (1, 2)
    )
    digests = [(m.file, m.document, m.sha256) for m in serial.manifests]
    assert digests == [(m.file, m.document, m.sha256) for m in forked.manifests]
    first = [d for f, _, d in digests if f == "m00.yaml"]
    assert first == [sha256(tmp_path / "m00.yaml")] * 3


def test_a_manifest_result_keeps_its_digest_through_pickling_and_positional_construction() -> None:
    finding = Finding("R-1", "error", "m", "a.yaml")
    positional = ManifestResult("a.yaml", 0, "p", "low", "low", (), "pilot", (), (finding,))
    assert positional.sha256 == ""
    digested = ManifestResult("a.yaml", 0, "p", "low", "low", (), "pilot", (), (finding,), "ab" * 32)
    assert pickle.loads(pickle.dumps(digested)) == digested


def test_the_run_names_the_waiver_file_it_applied_with_its_digest(tmp_path: Path) -> None:
    waivers = write(
        tmp_path / "waivers.yaml",
        "apiVersion: govcheck/v1\nkind: WaiverSet\nwaivers: []\n",
    )
    result = check(tmp_path, manifest(), waivers=str(waivers))
    assert result.waivers == Digest("waivers.yaml", sha256(waivers))
    assert check(tmp_path, manifest()).waivers is None
