#!/usr/bin/env bash
# wine-export.sh IN.reg OUT.reg KEY — the closed loop of tests/audit.rs through a real consumer:
# Wine's `reg import IN.reg` into a throw-away prefix, then Wine's `reg export KEY OUT.reg`
# (Wine writes it as regedit does: UTF-16LE with a BOM). The prefix is copied from the template
# that tests/tools/realclients/install.sh --warm-wine builds (the same cache check-reg.sh uses).
# Exit: 0 ok, 2 Wine or its prefix missing, 3 Wine failed.
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: $0 IN.reg OUT.reg KEY" >&2; exit 2; }
command -v wine >/dev/null || { echo "wine missing" >&2; exit 2; }
in="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
out_dir="$(cd "$(dirname "$2")" && pwd)"
out="$out_dir/$(basename "$2")"
cache="${REALCLIENTS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/realclients}"
tpl="$cache/wineprefix"
[ -f "$tpl/system.reg" ] || { echo "no Wine prefix at $tpl (run tests/tools/realclients/install.sh --warm-wine)" >&2; exit 2; }
tmp="$(mktemp -d)"
trap 'WINEPREFIX="$tmp/prefix" wineserver -k >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
p="$tmp/prefix"
mkdir -p "$p/dosdevices"
cp "$tpl"/system.reg "$tpl"/user.reg "$tpl"/userdef.reg "$tpl"/.update-timestamp "$p/"
ln -s "$tpl/drive_c" "$p/drive_c"; ln -s ../drive_c "$p/dosdevices/c:"; ln -s / "$p/dosdevices/z:"
export WINEPREFIX="$p" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine reg import "Z:${in//\//\\}" </dev/null >/dev/null 2>&1 || { echo "wine reg import failed" >&2; exit 3; }
wine reg export "$3" "Z:${out//\//\\}" /y </dev/null >/dev/null 2>&1 || { echo "wine reg export failed" >&2; exit 3; }
[ -s "$out" ] || { echo "wine wrote no export" >&2; exit 3; }
