# Shared by scripts/run and scripts/test: system packages and the venv.
# Sourced, not executed. Idempotent: installs only what is missing, so a warm
# machine pays a few dpkg-query calls and one hash.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
STAMP="$VENV/.parloir-installed"   # "<sha256 of pyproject.toml> <extras>"

# --- Debian packages: the one list (later issues add dovecot-imapd, postgresql, ...)
# Python itself (a fresh Debian 12 image has neither python3 nor venv support).
PYTHON_DEBS="python3 python3-venv"
# Qt's xcb platform plugin and fonts: what `parloir` needs on a desktop.
RUN_DEBS="libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3
          fonts-dejavu-core libxcb-icccm4 libxcb-keysyms1"
# The tests: a private D-Bus with a real Secret Service, the packaging
# validators, a virtual X server for real-window checks; dbus-python (under
# python-dbusmock, the tests' notification daemon) builds against libdbus and GLib.
TEST_DEBS="gnome-keyring dbus dbus-x11 desktop-file-utils appstream xvfb xauth openbox xdotool dovecot-imapd
           postgresql libdbus-1-dev libglib2.0-dev"

say() { printf '%s\n' "$*" >&2; }

# The packages among "$@" that dpkg does not report as installed.
missing_debs() {
    command -v dpkg-query >/dev/null 2>&1 || return 0   # not Debian: trust the system
    local pkg missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}\n' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    echo "${missing[*]:-}"
}

# The command prefix that gives root ("" when root already), or fail.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        echo ""
    elif command -v sudo >/dev/null 2>&1; then
        echo "sudo"
    else
        return 1
    fi
}

# Install the missing ones among "$@"; apt-get update only when something is missing.
install_debs() {
    local missing sudo
    missing="$(missing_debs "$@")"
    [ -z "$missing" ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        say "Missing system packages: $missing (install them with your package manager)."
        return 1
    fi
    if ! sudo="$(as_root)"; then
        say "Missing system packages: $missing — as root, run: apt-get install $missing"
        return 1
    fi
    say "Installing system packages: $missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        $missing >/dev/null
}

# Create .venv when missing; pip install -e '.[EXTRAS]' only when pyproject.toml
# changed since the last install (or the extras asked for were not installed).
# A venv installed with extras also satisfies a request without them, so
# scripts/run and scripts/test do not reinstall each other's way.
ensure_venv() {
    local extras="${1:-}" hash have_hash have_extras
    if [ ! -x "$PY" ]; then
        say "Creating $VENV"
        python3 -m venv "$VENV"
        rm -f "$STAMP"
    fi
    hash="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ -f "$STAMP" ]; then
        read -r have_hash have_extras < "$STAMP" || true
        if [ "$have_hash" = "$hash" ] && { [ -z "$extras" ] || [ "${have_extras:-}" = "$extras" ]; }; then
            return 0
        fi
    fi
    say "Installing Parloir into $VENV (pyproject.toml changed or first run)"
    local log="$VENV/pip-install.log"
    if ! { "$PY" -m pip install --disable-pip-version-check --upgrade pip \
           && "$PY" -m pip install --disable-pip-version-check -e "$ROOT${extras:+[$extras]}"; } \
           >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        say "pip install failed (full log: $log)"
        return 1
    fi
    echo "$hash $extras" > "$STAMP"
}

# Compile the translations (resources/translations/*.ts -> .qm) when a .ts
# is newer than its .qm; the .qm files are build products, not in git.
build_translations() {
    local ts qm
    for ts in "$ROOT"/resources/translations/*.ts; do
        [ -e "$ts" ] || continue
        qm="${ts%.ts}.qm"
        if [ ! -e "$qm" ] || [ "$ts" -nt "$qm" ]; then
            "$VENV/bin/pyside6-lrelease" -silent "$ts" -qm "$qm" \
                || { say "Could not compile $ts"; return 1; }
        fi
    done
}

# The local Bluesky network of the tests (tests/bluesky: @atproto/dev-env, Node 20):
# npm ci when node_modules is missing or package-lock.json changed since the last one.
install_bluesky_network() {
    local dir="$ROOT/tests/bluesky" log
    if [ -d "$dir/node_modules" ] \
        && [ ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
        return 0
    fi
    if ! command -v npm >/dev/null 2>&1; then
        say "npm is missing: the Bluesky network tests need Node 20 and npm."
        return 1
    fi
    say "Installing the Bluesky test network (npm ci in tests/bluesky, about 2 minutes)"
    log="$(mktemp)"
    if ! (cd "$dir" && npm ci --engine-strict --no-audit --no-fund) >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        rm -f "$log"
        say "npm ci failed in $dir"
        return 1
    fi
    rm -f "$log"
}
