"""Many manifests: the same results on one core or two, outcomes kept only when a report shows them."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path
from typing import Any

import pytest

from bench import gen_corpus
from govcheck.api import CheckSettings, run_check
from govcheck.cli import check as check_command
from govcheck.model import RunResult
from tests.helpers import MINI, TODAY


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    gen_corpus.main(["80", str(out)])
    return out


def check(corpus: Path, **changes: Any) -> RunResult:
    return run_check(CheckSettings(paths=(str(corpus),), packs=(MINI,), today=TODAY, cwd=corpus, **changes))


def test_two_workers_give_what_one_gives(corpus: Path) -> None:
    one, two = check(corpus, jobs=1), check(corpus, jobs=2)
    assert one == two
    assert len(one.manifests) == 80 and one.findings


def test_outcomes_are_left_out_only_when_asked(corpus: Path) -> None:
    kept, dropped = check(corpus, jobs=1), check(corpus, jobs=2, outcomes=False)
    assert all(m.outcomes for m in kept.manifests)
    assert all(m.outcomes == () for m in dropped.manifests)
    assert [dataclasses.replace(m, outcomes=()) for m in kept.manifests] == list(dropped.manifests)
    assert kept.findings == dropped.findings


def test_the_collector_settings_are_restored(corpus: Path) -> None:
    before = gc.get_threshold()
    check(corpus, jobs=1)
    assert gc.get_threshold() == before


@pytest.mark.parametrize(
    ("formats", "outcomes"),
    [
        ((), False),
        (("--format", "text"), False),
        (("--format", "sarif"), False),
        (("--format", "json"), True),
        (("--format", "junit"), True),
        (("--format", "text", "--format", "junit=r.xml"), True),
    ],
)
def test_check_keeps_outcomes_for_the_formats_that_show_them(
    run: Any,
    monkeypatch: pytest.MonkeyPatch,
    corpus: Path,
    tmp_path: Path,
    formats: tuple[str, ...],
    outcomes: bool,
) -> None:
    seen: list[bool] = []

    def spy(settings: CheckSettings, registry: Any) -> RunResult:
        seen.append(settings.outcomes)
        return run_check(settings, registry)

    monkeypatch.setattr(check_command, "run_check", spy)
    monkeypatch.chdir(tmp_path)
    run(
        "check",
        "--no-config",
        "--pack",
        MINI,
        "--today",
        TODAY.isoformat(),
        *formats,
        str(corpus / "pilot-00001.yaml"),
    )
    assert seen == [outcomes]
