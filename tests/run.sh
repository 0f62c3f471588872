#!/usr/bin/env bash
# The test command (README): every essential test, for real, on a fresh machine.
#
# 1. Installs the third-party real clients the essential tests check outputs with (xmllint and
#    Microsoft's XSD, Wine's regedit, hivex, Samba's and regpol's Registry.pol parsers) through
#    tests/tools/realclients/install.sh (Debian packages and PyPI; only what is missing);
# 2. runs `cargo test` with GPFORGE_ESSENTIAL=1: if a client is still missing, the build stops
#    and names exactly which; no test that needs one is ignored.
#
# The extended suite (Microsoft's and the vendors' whole corpora in ../shared, GPFORGE_CORPUS)
# stays listed as ignored unless its data is there; `bash .ci/run` runs it too.
# Arguments go to `cargo test` (e.g. `bash tests/run.sh -- --include-ignored`).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${GPFORGE_SKIP_INSTALL:-0}" != 1 ]; then
  echo "== real clients (tests/tools/realclients/install.sh; the Wine prefix is built once)"
  bash tests/tools/realclients/install.sh --warm-wine
fi
echo "== cargo test (GPFORGE_ESSENTIAL=1)"
GPFORGE_ESSENTIAL=1 cargo test --locked "$@"
