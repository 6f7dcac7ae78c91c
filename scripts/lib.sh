# Shared by scripts/run and scripts/test: the venv and system packages.
# Sourced, not executed. Idempotent: installs only what is missing.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

# Debian packages the app and the tests need (one list; later issues add to it).
RUN_DEBS="libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3 fonts-dejavu-core libxcb-icccm4 libxcb-keysyms1"
TEST_DEBS="$RUN_DEBS gnome-keyring dbus dbus-x11 desktop-file-utils appstream xvfb xauth"

say() { printf '%s\n' "$*" >&2; }

missing_debs() {
    command -v dpkg-query >/dev/null 2>&1 || return 0
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    echo "${missing[@]:-}"
}

install_debs() {
    local missing
    missing=$(missing_debs "$@")
    [ -z "$missing" ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        say "Missing system packages: $missing (install them with your package manager)."
        return 1
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
            say "Missing system packages: $missing — run: apt-get install $missing"
            return 1
        fi
    fi
    say "Installing system packages: $missing"
    $sudo apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

ensure_venv() {
    local extras="${1:-}"
    if [ ! -x "$PY" ]; then
        say "Creating $VENV"
        python3 -m venv "$VENV"
    fi
    local stamp="$VENV/.parloir-installed"
    local want
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)${extras}"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        say "Installing Parloir into $VENV"
        "$PY" -m pip install -q --upgrade pip >/dev/null
        if [ -n "$extras" ]; then
            "$PY" -m pip install -q -e "$ROOT[$extras]"
        else
            "$PY" -m pip install -q -e "$ROOT"
        fi
        echo "$want" > "$stamp"
    fi
}
