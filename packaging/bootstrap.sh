#!/usr/bin/env bash
# One entry point for the README's two commands, on a fresh Debian/Ubuntu machine:
#   bash packaging/bootstrap.sh app [--demo] [--lang fi]   install, then start the app
#   bash packaging/bootstrap.sh test [pytest args]         install, then run the test suite
#   bash packaging/bootstrap.sh install                    install only
# Installs the system libraries Qt and the tests need (apt-get, as root or via sudo),
# makes .venv, installs the project with its extras, compiles the translations.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-app}"
[ $# -gt 0 ] && shift

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

qt_runtime=(libglib2.0-0 libgl1 libegl1 libfontconfig1 libxkbcommon0 libdbus-1-3)
qt_desktop=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
            libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1)
case "$mode" in
  app)  wanted=("${qt_runtime[@]}" "${qt_desktop[@]}") ;;
  test) wanted=("${qt_runtime[@]}" postgresql poppler-utils appstream desktop-file-utils bc) ;;
  install) wanted=("${qt_runtime[@]}") ;;
  *) echo "usage: $0 app|test|install [args]" >&2; exit 2 ;;
esac
python3 -c 'import venv, ensurepip' 2>/dev/null || wanted+=(python3-venv)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else sudo=(none); fi
  if [ "${sudo[0]:-}" = none ]; then
    say "Please install these system packages first: ${missing[*]}"
  else
    say "Installing system packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  say "Creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.counsel-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  say "Installing Counsel and its dependencies"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[app,server,dev]"
  touch "$stamp"
fi
.venv/bin/python -m counsel.i18n.tools compile >/dev/null 2>&1 || true
# the print fonts' static instances, made once here (not on the first plan preview)
if ! ls .venv/share/counsel/fonts/*.ttf >/dev/null 2>&1; then
  say "Preparing the print fonts (once, about a minute)"
fi
.venv/bin/python -m counsel.plans.fonts >/dev/null || say "Print fonts will be prepared on first use"

case "$mode" in
  install) ;;
  app)
    exec .venv/bin/counsel-app "$@"
    ;;
  test)
    export QT_QPA_PLATFORM=offscreen
    set +e
    .venv/bin/python -m pytest "$@"
    rc=$?
    set -e
    if [ $rc -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; exit 1; fi
    exit $rc
    ;;
esac
