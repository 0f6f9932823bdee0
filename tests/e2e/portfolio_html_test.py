"""The portfolio HTML page in a real headless Chromium: renders, logs nothing, fetches nothing.

Needs the Debian packages ``chromium`` and ``chromium-driver`` (``.ci/run`` installs them);
skipped with a reason when no Chromium is installed.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from govcheck.portfolio.report._html_style import CSP

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = str(ROOT / "examples" / "portfolio")
CHROMIUM = next((found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None)
# Quiet, offline, reproducible: no first-run UI, no background services, and every host name
# resolves to nothing, so even Chromium's own update and account checks stay off the network.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--enable-logging=stderr",
    "--v=0",
    "--window-size=1280,2000",
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None, reason="Chromium is not installed (apt-get install -y chromium chromium-driver)"
    ),
]


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


def png_pixels(data: bytes) -> tuple[int, int, list[bytearray]]:
    """Decode an 8-bit, non-interlaced RGB or RGBA PNG: width, height, rows of channel bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data[pos + 8 : pos + 8 + length])
        elif kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    assert header is not None
    width, height, depth, colour, _, _, interlace = header
    assert (depth, interlace) == (8, 0) and colour in (2, 6), header
    bpp = 4 if colour == 6 else 3
    raw, stride, prev, rows = zlib.decompress(b"".join(chunks)), width * bpp, bytearray(width * bpp), []
    for y in range(height):
        start = y * (stride + 1)
        rows.append(prev := _unfilter(raw[start], bytearray(raw[start + 1 : start + 1 + stride]), prev, bpp))
    return width, height, rows


def _unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> bytearray:
    if kind == 2:
        return bytearray((a + b) & 255 for a, b in zip(line, prev, strict=True))
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
        if kind == 1:
            line[i] = (line[i] + left) & 255
        elif kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    return line


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from click.testing import CliRunner

    from govcheck.cli import cli

    out = tmp_path_factory.mktemp("html") / "portfolio.html"
    result = CliRunner().invoke(
        cli,
        ["portfolio", EXAMPLES, "--today", "2026-11-25", "--format", "html", "-o", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return out


def test_the_page_fetches_nothing(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP.replace(chr(39), "&#x27;")}">' in text
    assert CSP == "default-src 'none'; style-src 'unsafe-inline'"
    assert re.findall(r"""\b(?:src|href|action|srcset|poster|data)\s*=\s*(?!["']?#)""", text) == []
    assert not re.search(r"<(?:script|link|img|iframe|object|embed|base)\b|@import|url\(", text, re.I)
    assert (
        re.findall(r"""=\s*["']?https?://""", text) == []
    )  # URLs appear only as text (a remediation snippet)


def test_chromium_renders_one_row_per_pilot_without_console_errors(page: Path, tmp_path: Path) -> None:
    shown = chromium(tmp_path, page, "--dump-dom")
    assert shown.returncode == 0, shown.stderr[-2000:]
    console = [line for line in shown.stderr.splitlines() if re.search(r":CONSOLE[:(]", line)]
    assert console == []  # no errors, and no Content-Security-Policy violations (nothing tried to load)
    dom = shown.stdout
    assert len(re.findall(r'<tr class="pilot">', dom)) == 14
    assert "default-src 'none'; style-src 'unsafe-inline'" in dom
    anchors = set(re.findall(r'id="(rule-[^"]+)"', dom))
    links = set(re.findall(r'href="#(rule-[^"]+)"', dom))
    assert links and links <= anchors


def test_the_screenshot_is_not_blank(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "portfolio.png"
    taken = chromium(tmp_path, page, f"--screenshot={shot}")
    assert taken.returncode == 0 and shot.is_file(), taken.stderr[-2000:]
    width, height, rows = png_pixels(shot.read_bytes())
    assert (width, height) == (1280, 2000)
    values = [v for row in rows[::8] for v in row[:: 4 * 7]]  # a sample across the page
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    assert variance > 100, f"the page looks blank (mean {mean:.0f}, variance {variance:.0f})"
    assert len(set(values)) > 20  # text, the heat map's colours and the background


def test_the_console_check_would_catch_a_broken_page(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text(
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}"><img src="http://example.org/x.png">',
        encoding="utf-8",
    )
    shown = chromium(tmp_path, broken, "--dump-dom")
    assert any(
        re.search(r":CONSOLE[:(]", line) and "Content Security Policy" in line
        for line in shown.stderr.splitlines()
    )
