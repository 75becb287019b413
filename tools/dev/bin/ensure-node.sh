#!/usr/bin/env bash
# Makes Node.js 24 the `node` on PATH.
#   source tools/dev/bin/ensure-node.sh   # exports PATH in the current shell
#   tools/dev/bin/ensure-node.sh          # prints the PATH to use (for make / scripts)
# When the current node is not 24, installs the npm package `node@24` (it carries the
# official binary) into ${TEXTPLANE_CACHE:-<repo>/.cache}/node24, once.
# Written to be sourced: no `set -e`/`exit`, every failure is a `return 1`.

textplane_node_is_24() {
  local version
  version="$("${1:-node}" --version 2>/dev/null)" || return 1
  [[ "$version" == v24.* ]]
}

textplane_ensure_node() {
  if textplane_node_is_24 node; then
    return 0
  fi
  local here repo cache_dir bin_dir
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
  repo="$(cd "$here/../../.." && pwd)"
  cache_dir="${TEXTPLANE_CACHE:-$repo/.cache}/node24"
  bin_dir="$cache_dir/node_modules/.bin"
  if ! textplane_node_is_24 "$bin_dir/node"; then
    if ! command -v npm >/dev/null 2>&1; then
      echo "ensure-node: node 24 is not on PATH and npm is missing to install it" >&2
      return 1
    fi
    echo "ensure-node: installing node@24 into $cache_dir" >&2
    mkdir -p "$cache_dir" || return 1
    npm install --prefix "$cache_dir" --no-audit --no-fund --no-save --loglevel=error node@24 >&2 ||
      return 1
    if ! textplane_node_is_24 "$bin_dir/node"; then
      echo "ensure-node: $bin_dir/node is not v24 after install" >&2
      return 1
    fi
  fi
  PATH="$bin_dir:$PATH"
  export PATH
}

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  textplane_ensure_node
else
  set -euo pipefail
  textplane_ensure_node
  printf '%s\n' "$PATH"
fi
