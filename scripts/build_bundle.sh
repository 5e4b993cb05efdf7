#!/usr/bin/env bash
# Builds the one-folder bundle dist/viva/ from build_installer.spec, runs its selfcheck and
# prints its size. PyInstaller builds for the system it runs on (Linux here; run the same steps
# on Windows or macOS for those). Run after scripts/setup.sh (`make bundle` does both).
#
#   VIVA_BUNDLE_EMBEDDED_MODEL=1  copy the embedded SmolLM2-135M-Instruct into dist/viva/models/
#   DISTPATH, WORKPATH            where the bundle and PyInstaller's work files go
#                                 (default: dist/ and build/)
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
DISTPATH=${DISTPATH:-dist}
WORKPATH=${WORKPATH:-build}
BUNDLE=$DISTPATH/viva

if ! "$PY" -m PyInstaller --version >/dev/null 2>&1; then
    echo "bundle: installing the bundle extra (PyInstaller) into .venv"
    "$PY" -m pip install -q -e ".[bundle]"
fi

echo "bundle: building $BUNDLE with PyInstaller $("$PY" -m PyInstaller --version)"
started=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN \
    --distpath "$DISTPATH" --workpath "$WORKPATH" build_installer.spec
built=$(date +%s)
echo "bundle: built in $((built - started)) s"

EXE=$BUNDLE/viva
[ -f "$EXE.exe" ] && EXE=$EXE.exe
total_kib=$(du -sk "$BUNDLE" | cut -f1)
models_kib=$(du -sk "$BUNDLE/models" | cut -f1)
echo "bundle: size $((total_kib / 1024)) MiB, without models $(((total_kib - models_kib) / 1024)) MiB ($BUNDLE)"

# An empty data folder, so the selfcheck never reads this machine's own settings or models.
data_dir=$(mktemp -d)
trap 'rm -rf "$data_dir"' EXIT
# First as a learner runs it: no arguments, a clean home folder (without a bundled model the
# model check passes with a warning saying what to do).
echo "bundle: $EXE selfcheck"
HOME=$data_dir VIVA_DATA_DIR=$data_dir "$EXE" selfcheck
# Then, when the bundle carries no model, with the embedded model from the development set-up,
# so the bundle's own llama.cpp is exercised too.
if ! ls "$BUNDLE"/models/*.gguf >/dev/null 2>&1; then
    model=$("$PY" -c 'from desktop.grading import embedded_model_path as p; print(p() or "")')
    if [ -n "$model" ]; then
        echo "bundle: $EXE selfcheck --model $model"
        HOME=$data_dir VIVA_DATA_DIR=$data_dir "$EXE" selfcheck --model "$model"
    fi
fi
