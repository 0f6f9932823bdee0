"""Build hook: compile the native YAML reader (src/govcheck/load/_yaml.c) when this machine can.

It needs a C compiler, Python's headers and libyaml's (Debian/Ubuntu: ``libyaml-dev``; Fedora:
``libyaml-devel``; macOS: ``brew install libyaml``). Without them the wheel is built pure Python
and govcheck reads YAML the pure-Python way: the same findings, lines and columns, slower.

``GOVCHECK_NATIVE=0`` skips the extension; ``GOVCHECK_NATIVE=1`` makes a failed build an error
(CI sets it, so a wheel without the fast path cannot pass unnoticed).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = "src/govcheck/load/_yaml.c"
TARGET = "govcheck/load/_yaml"


class NativeBuildHook(BuildHookInterface):  # type: ignore[type-arg]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        wanted = os.environ.get("GOVCHECK_NATIVE", "auto")
        if wanted == "0":
            return
        suffix = sysconfig.get_config_var("EXT_SUFFIX") or ""
        source = Path(self.root, SOURCE)
        # An editable install imports from src/, so the extension is built in place there.
        if version == "editable":
            out = source.with_name("_yaml" + suffix)
        else:
            out = Path(tempfile.mkdtemp(prefix="govcheck-native-"), "_yaml" + suffix)
        try:
            _compile(source, out)
        except (OSError, subprocess.CalledProcessError, RuntimeError) as exc:
            if wanted == "1":
                raise RuntimeError(
                    f"GOVCHECK_NATIVE=1 but the native YAML reader did not build: {exc}"
                ) from exc
            self.app.display_warning(
                f"govcheck: native YAML reader not built ({exc}); installing the pure-Python reader, "
                "which gives the same results more slowly. Install a C compiler and libyaml's "
                "headers (libyaml-dev) for the fast path."
            )
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if version != "editable":
            build_data["force_include"][str(out)] = TARGET + suffix


def _compile(source: Path, out: Path) -> None:
    cc = sysconfig.get_config_var("CC")
    ldshared = sysconfig.get_config_var("LDSHARED")
    if not cc or not ldshared or os.name != "posix":
        raise RuntimeError("no POSIX C compiler configuration in this Python")
    if shutil.which(shlex.split(ldshared)[0]) is None:
        raise RuntimeError(f"compiler {shlex.split(ldshared)[0]!r} not found")
    cflags, libs = _libyaml_flags()
    command = [
        *shlex.split(ldshared),
        *shlex.split(sysconfig.get_config_var("CCSHARED") or ""),
        "-O2",
        f"-I{sysconfig.get_paths()['include']}",
        *cflags,
        str(source),
        "-o",
        str(out),
        *libs,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "compiler failed")


def _libyaml_flags() -> tuple[list[str], list[str]]:
    """libyaml's flags from pkg-config where it knows them, else the compiler's default paths."""
    prefix = os.environ.get("LIBYAML_PREFIX")
    if prefix:
        return [f"-I{prefix}/include"], [f"-L{prefix}/lib", f"-Wl,-rpath,{prefix}/lib", "-lyaml"]
    if shutil.which("pkg-config"):
        found = subprocess.run(
            ["pkg-config", "--cflags", "--libs", "yaml-0.1"], capture_output=True, text=True, timeout=30
        )
        if found.returncode == 0:
            flags = shlex.split(found.stdout)
            return [f for f in flags if not f.startswith(("-l", "-L"))], [
                f for f in flags if f.startswith(("-l", "-L"))
            ]
    return [], ["-lyaml"]
