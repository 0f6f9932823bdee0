#!/usr/bin/env bash
# Install the peer tools into bench/.peers/, for benchmarking only (never project dependencies):
#   bench/.peers/venv   check-jsonschema, regopy and PyYAML (pip)
#   bench/.peers/node   @stoplight/spectral-cli (npm)
# Each peer is installed on its own: one that fails is reported and skipped, and
# bench/agreement.py and bench/run.py then say which peers they left out.
# Usage: bench/setup_peers.sh [DEST]   (default: bench/.peers next to this script)
set -u

here=$(cd "$(dirname "$0")" && pwd)
dest=${1:-$here/.peers}
python=${PYTHON:-python3}
# The versions bench/README.md was measured with.
pip_peers=("check-jsonschema==0.39.0" "regopy==1.5.2" "pyyaml")
npm_peers=("@stoplight/spectral-cli@6.16.3")
status=0

mkdir -p "$dest"
if [ ! -x "$dest/venv/bin/python" ]; then
  "$python" -m venv "$dest/venv" || { echo "setup_peers: cannot create $dest/venv" >&2; exit 1; }
fi
for pkg in "${pip_peers[@]}"; do
  if ! "$dest/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$pkg"; then
    echo "setup_peers: pip could not install $pkg; that peer will be skipped" >&2
    status=1
  fi
done

if command -v npm >/dev/null 2>&1; then
  mkdir -p "$dest/node"
  [ -f "$dest/node/package.json" ] || echo '{"private": true}' > "$dest/node/package.json"
  if ! (cd "$dest/node" && npm install --no-audit --no-fund --loglevel=error "${npm_peers[@]}"); then
    echo "setup_peers: npm could not install ${npm_peers[*]}; Spectral will be skipped" >&2
    status=1
  fi
else
  echo "setup_peers: npm is not installed; Spectral will be skipped" >&2
  status=1
fi

echo "setup_peers: peers in $dest (exit $status: 0 all installed, 1 some skipped)"
exit $status
