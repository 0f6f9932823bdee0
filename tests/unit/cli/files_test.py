"""--output files appear whole or not at all; devices and pipes are written directly."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from govcheck.cli._files import replacing, write_file
from govcheck.errors import UsageError


def pieces_then_failure() -> Iterator[str]:
    yield "first part\n"
    raise OSError(28, "No space left on device")


def test_a_report_cut_short_leaves_the_previous_file_and_no_partial_one(tmp_path: Path) -> None:
    target = tmp_path / "report.sarif"
    target.write_text("previous run\n", encoding="utf-8")
    with pytest.raises(UsageError, match="cannot write .*No space left on device"):
        write_file(str(target), pieces_then_failure())
    assert target.read_text(encoding="utf-8") == "previous run\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.sarif"]


def test_a_complete_report_replaces_the_file_with_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    before = os.umask(0o022)
    try:
        write_file(str(target), ["{", "}\n"])
    finally:
        os.umask(before)
    assert target.read_text(encoding="utf-8") == "{}\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_a_symlink_is_never_written_through(tmp_path: Path) -> None:
    """A link committed where a report goes could point anywhere (~/.bashrc): refused, both kept."""
    (tmp_path / "reports").mkdir()
    real = tmp_path / "reports" / "latest.txt"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest.txt"
    link.symlink_to(real)
    with pytest.raises(UsageError, match="is a symbolic link .* a report is never written through one"):
        write_file(str(link), ["new\n"])
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "old\n"


def test_a_device_is_written_directly_never_replaced() -> None:
    with replacing(os.devnull) as out:
        out.write("discarded\n")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd")
def test_a_pipe_is_written_directly() -> None:
    read, write = os.pipe()
    try:
        write_file(f"/dev/fd/{write}", ["through the pipe\n"])
        assert os.read(read, 100) == b"through the pipe\n"
    finally:
        os.close(read)
        os.close(write)


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="needs /dev/fd")
def test_standard_output_sent_to_a_file_is_written_through_not_replaced(tmp_path: Path) -> None:
    log = tmp_path / "log.txt"
    with log.open("w", encoding="utf-8") as shell_redirect:
        shell_redirect.write("before\n")
        shell_redirect.flush()
        inode = log.stat().st_ino
        write_file(f"/dev/fd/{shell_redirect.fileno()}", ["report\n"])
    assert log.stat().st_ino == inode  # the file the shell opened, not a new one beside it
    assert log.read_text(encoding="utf-8") == "report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["log.txt"]


def test_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot write"):
        write_file(str(tmp_path / "no" / "such" / "dir.txt"), ["x"])
