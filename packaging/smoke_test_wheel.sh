#!/usr/bin/env bash
# Smoke test of the shipped artefacts: build the sdist and the wheel, install the wheel into a
# fresh virtual environment outside the repository, and use the app from a scratch directory
# exactly as a consultant would after `pipx install`: nothing may come from the checkout.
#
#   packaging/smoke_test_wheel.sh            # everything in a temporary folder, removed at the end
#   KEEP=1 packaging/smoke_test_wheel.sh     # keep that folder (its path is printed) to look inside
#   PYTHON=python3.12 packaging/smoke_test_wheel.sh
#
# Needs the package index (build, setuptools and the app's dependencies are installed into the
# throwaway venvs). The repository is only read: the build runs from the sdist in the temp folder.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/lookup-designer-smoke.XXXXXX")
SERVER_PID=

cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ -n "${KEEP:-}" ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

# Keep the user's pip download cache (it lives under HOME, which is replaced next).
PIP_CACHE_DIR=${PIP_CACHE_DIR:-$("$PY" -m pip cache dir 2>/dev/null || true)}
[ -n "$PIP_CACHE_DIR" ] && export PIP_CACHE_DIR
# A user's settings, autosave, keyring and PYTHONPATH must not leak in (nor be touched).
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/config" XDG_DATA_HOME="$WORK/home/data"
export XDG_STATE_HOME="$WORK/home/state" XDG_CACHE_HOME="$WORK/home/cache"
# No OS keyring: the demo credentials come from the bundled secrets file, and a locked desktop
# keyring could otherwise stop the run with an unlock prompt.
export PYTHON_KEYRING_BACKEND=keyring.backends.null.Keyring
unset PYTHONPATH VIRTUAL_ENV
mkdir -p "$HOME" "$WORK/run"

step "build the sdist and the wheel (python -m build, in a throwaway venv)"
"$PY" -m venv "$WORK/build-venv"
"$WORK/build-venv/bin/pip" install -q build
# In a checkout, build from a copy of its files (uncommitted edits included, ignored files not),
# so that nothing is written into it; the wheel is then built from the sdist, as pip would.
SRC=$REPO
if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  SRC="$WORK/src"
  "$PY" - "$REPO" "$SRC" <<'EOF'
import shutil, subprocess, sys
from pathlib import Path
repo, dest = Path(sys.argv[1]), Path(sys.argv[2])
listed = subprocess.run(
    ["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    capture_output=True, check=True,
).stdout.decode("utf-8").split("\0")
for name in filter(None, listed):
    if (repo / name).is_file():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(repo / name, dest / name)
EOF
fi
"$WORK/build-venv/bin/python" -m build --outdir "$WORK/dist" "$SRC" >"$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log"; fail "python -m build"; }
ls -l "$WORK/dist"
WHEEL=$(ls "$WORK"/dist/*.whl)
"$PY" - "$WHEEL" "$WORK"/dist/*.tar.gz <<'EOF'
import sys, tarfile, zipfile
wheel = zipfile.ZipFile(sys.argv[1]).namelist()
sdist = tarfile.open(sys.argv[2]).getnames()
samples = [n for n in wheel if n.startswith("designer/samples/")]
print(f"wheel: {len(wheel)} files, {len(samples)} under designer/samples/; sdist: {len(sdist)} files")
for needed in ("designer/samples/woocommerce.json", "designer/samples/demo.secrets.env",
               "designer/samples/expected/shopify/9007199254740993.json",
               "designer/resources/config.schema.json", "designer/py.typed"):
    assert needed in wheel, f"the wheel lacks {needed}"
assert any(n.endswith("/samples/expected/odoo/Møller.json") for n in sdist), "the sdist lacks the samples"
EOF

step "install the wheel into a fresh venv (outside the repository)"
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q "$WHEEL"
APP="$WORK/venv/bin/lookup-designer"
VPY="$WORK/venv/bin/python"
cd "$WORK/run"  # not the checkout: nothing may be found relative to it

LOCATION=$("$VPY" -c 'import designer; print(designer.__file__)')
case "$LOCATION" in "$WORK/venv/"*) echo "designer imported from $LOCATION" ;; *) fail "designer came from $LOCATION" ;; esac
SAMPLES=$("$VPY" -c 'from designer.demo.samples import samples_dir; print(samples_dir())')
case "$SAMPLES" in "$WORK/venv/"*) echo "bundled samples: $SAMPLES" ;; *) fail "samples found at $SAMPLES" ;; esac
ls "$SAMPLES"

step "lookup-designer --help"
"$APP" --help | tee "$WORK/help.txt"
grep -q -- "--demo" "$WORK/help.txt" || fail "--help does not mention --demo"
grep -q "demo-server" "$WORK/help.txt" || fail "--help does not list demo-server"

step "lookup-designer validate <bundled sample>"
"$APP" validate "$SAMPLES/woocommerce.json"

step "lookup-designer schema is the shipped schema"
"$APP" schema >"$WORK/schema.json"
"$VPY" - "$WORK/schema.json" <<'EOF'
import json, sys
from importlib.resources import files
printed = json.loads(open(sys.argv[1], encoding="utf-8").read())
shipped = json.loads(files("designer").joinpath("resources/config.schema.json").read_text("utf-8"))
assert printed == shipped, "lookup-designer schema differs from designer/resources/config.schema.json"
print("schema:", printed.get("title"), "-", len(json.dumps(printed)), "characters, same as the shipped copy")
EOF

step "lookup-designer demo-server --port 0"
"$APP" demo-server --port 0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
BASE=
for _ in $(seq 1 100); do
  BASE=$(sed -n 's/^Demo merchant server on \(http:\/\/127\.0\.0\.1:[0-9]*\).*/\1/p' "$WORK/server.out")
  [ -n "$BASE" ] && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.err"; fail "demo-server exited"; }
  sleep 0.1
done
[ -n "$BASE" ] || fail "demo-server printed no address"
sleep 0.2  # the rest of its banner
cat "$WORK/server.out"

step "lookup-designer run <each bundled sample> --search-term <each expected term>, against $BASE"
checked=0
for expected in "$SAMPLES"/expected/*/*.json; do
  name=$(basename "$(dirname "$expected")")
  term=$(basename "$expected" .json)
  # The samples name the default port 8765; point a copy at the server just started.
  sed "s#http://127.0.0.1:8765#$BASE#g" "$SAMPLES/$name.json" >"$WORK/run/$name.json"
  "$APP" run "$WORK/run/$name.json" --search-term "$term" --secrets-file "$SAMPLES/demo.secrets.env" \
    >"$WORK/run/out.json" 2>"$WORK/run/err.txt" || { cat "$WORK/run/err.txt"; fail "run $name '$term'"; }
  # Compared as JSON with exact numbers (ids > 2^53, decimal balances) and in order.
  "$VPY" - "$WORK/run/out.json" "$expected" "$name" "$term" <<'EOF' || fail "run $name '$term' printed another list"
import json, sys
from decimal import Decimal
got, want = (json.loads(open(p, encoding="utf-8").read(), parse_float=Decimal) for p in sys.argv[1:3])
if got != want:
    print("got:     ", json.dumps(got, default=str, ensure_ascii=False)[:400])
    print("expected:", json.dumps(want, default=str, ensure_ascii=False)[:400])
    sys.exit(1)
print(f"  ok  {sys.argv[3]:<16} {sys.argv[4]!r:<20} {len(got)} customer(s), as expected")
EOF
  checked=$((checked + 1))
done
[ "$checked" -gt 0 ] || fail "no expected lists were bundled"
echo "$checked sample searches printed their expected Customer list"

step "a missing credential is explained, not a traceback"
set +e
"$APP" run "$WORK/run/woocommerce.json" --search-term jensen >/dev/null 2>"$WORK/run/err.txt"
status=$?
set -e
cat "$WORK/run/err.txt"
[ "$status" -ne 0 ] || fail "run without credentials succeeded"
grep -q "DEMO_WOO_CONSUMER_SECRET" "$WORK/run/err.txt" || fail "the message does not name the secret"
! grep -q "Traceback" "$WORK/run/err.txt" || fail "traceback"

kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=

step "the window, headless: lookup-designer --demo --quit-after 2 (QT_QPA_PLATFORM=offscreen)"
set +e
QT_QPA_PLATFORM=offscreen timeout 120 "$APP" --demo --quit-after 2 >"$WORK/gui.out" 2>"$WORK/gui.err"
status=$?
set -e
cat "$WORK/gui.out" "$WORK/gui.err"
[ "$status" -eq 0 ] || fail "the window exited with status $status"
! grep -q "Traceback" "$WORK/gui.err" || fail "traceback from the window"
echo "window opened with the demo and closed cleanly (exit 0)"

step "the window sends the bundled demo sample's search (its credentials from the bundled secrets file)"
QT_QPA_PLATFORM=offscreen timeout 120 "$VPY" - >"$WORK/send.out" 2>"$WORK/send.err" <<'EOF' \
  || { cat "$WORK/send.out" "$WORK/send.err"; fail "the scripted window run"; }
import sys
from PySide6.QtCore import QTimer
from designer.gui.app import run_app

def on_shown(window):
    print("opened:", window.document.config.request.url)
    print("secrets file:", window.secrets.secrets_file)
    window.search_bar.send_button.click()

    def close_when_done():
        if window.document.response is not None and not window.document.busy:
            print("status:", window.search_bar.status_label.text())
            window.close()
        else:
            QTimer.singleShot(20, close_when_done)

    QTimer.singleShot(20, close_when_done)

class Args:
    demo = True
    project = None

status = run_app(Args(), on_shown)
sys.stdout.flush()
sys.exit(status)
EOF
cat "$WORK/send.out"
grep -q "^secrets file: $WORK/venv/.*/designer/samples/demo.secrets.env$" "$WORK/send.out" \
  || fail "the window did not use the bundled demo secrets file"
grep -q "^status: HTTP 200.*records found" "$WORK/send.out" || fail "the demo search did not succeed"
! grep -q "Traceback" "$WORK/send.err" || { cat "$WORK/send.err"; fail "traceback from the window"; }
echo
echo "SMOKE TEST PASSED: $(basename "$WHEEL")"
