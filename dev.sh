#!/usr/bin/env bash
# Set up and run baomi-kg on a fresh machine with Python 3.11. Two commands:
#
#   ./dev.sh serve [OPTIONS]   install, then serve the bundled graph on http://127.0.0.1:8000
#   ./dev.sh test  [PYTEST ARGS]  install (with the system packages the tests drive), then ruff, mypy, pytest
#                                 in two worker processes (TEST_WORKERS=N for another number, 0 for none)
#   ./dev.sh test -m "not slow"   the same, with the fast lane of pytest (the tests marked slow left out)
#
# Everything goes into .venv beside this file; versions are pinned by constraints.txt.
set -euo pipefail
cd "$(dirname "$0")"

VENV=.venv
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3

# pip runs when the virtualenv is new or what it installs has changed (pyproject.toml, constraints.txt; the code
# itself is installed editable): otherwise a second `./dev.sh serve` starts the service at once.
STAMP=$VENV/.installed

install_inputs() { cat pyproject.toml constraints.txt | { sha256sum 2>/dev/null || shasum -a 256; } | cut -d' ' -f1; }

python_setup() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  local wanted
  wanted=$(install_inputs)
  if [ -x "$VENV/bin/baomi-kg" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$wanted" ]; then
    return
  fi
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
  echo "$wanted" > "$STAMP"
}

has_seccomp() { /sbin/ldconfig -p 2>/dev/null | grep -q "libseccomp.so.2 "; }

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# Debian packages the tests use as real parts: Graphviz and a CJK font (pictures), Chromium (the viewer
# test), Virtuoso (an external SPARQL store), libseccomp (the query sandbox), Jena (its rsparql client).
# Installed only when missing.
system_setup() {
  local missing=()
  command -v dot >/dev/null 2>&1 || missing+=(graphviz)
  fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
  has_seccomp || missing+=(libseccomp2)
  [ -f /usr/share/java/jena-arq.jar ] || missing+=(libapache-jena-java)
  [ -f /usr/share/java/owlapi-distribution.jar ] || missing+=(libowlapi-java)
  command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
  if [ ${#missing[@]} -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
}

case "${1:-}" in
  serve)
    shift
    python_setup
    # The SPARQL workers confine themselves with seccomp (libseccomp; Linux only).
    if [ "$(uname -s)" = Linux ] && ! has_seccomp; then apt_install libseccomp2; fi
    exec "$VENV/bin/baomi-kg" serve "$@"
    ;;
  test)
    shift
    python_setup
    system_setup
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    "$VENV/bin/mypy"
    # Two workers (the project's machines have two cores); a test file runs whole in one of them, with its fixtures.
    exec "$VENV/bin/python" -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile "$@"
    ;;
  *)
    echo "usage: ./dev.sh serve [--host H --port P ...] | ./dev.sh test [pytest args]" >&2
    exit 2
    ;;
esac
