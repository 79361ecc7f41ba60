#!/usr/bin/env bash
# Smoke-run a bundled binary offscreen, away from the source tree and with no system fonts
# visible to it: it must start, create a vault, save a client and a plan, print fi/ar/ti
# plans with its bundled fonts, and exit 0.
set -euo pipefail
bin=$(readlink -f "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/fonts"
cat > "$work/fonts.conf" <<XML
<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>$work/fonts</dir><cachedir>$work/fc-cache</cachedir></fontconfig>
XML
start=$(date +%s.%N)
(cd "$work" && env -i PATH=/usr/bin:/bin HOME="$work" COUNSEL_HOME="$work/home" \
   QT_QPA_PLATFORM=offscreen FONTCONFIG_FILE="$work/fonts.conf" \
   "$bin" --self-test "$work/out")
end=$(date +%s.%N)
for lang in fi ar ti; do
  test -s "$work/out/plan-$lang.pdf"
  if command -v pdffonts >/dev/null; then
    # every font embedded (no reliance on the reader's fonts)
    ! pdffonts "$work/out/plan-$lang.pdf" | tail -n +3 | awk '{print $(NF-4)}' | grep -qv yes
  fi
done
if command -v pdftotext >/dev/null; then
  pdftotext "$work/out/plan-ti.pdf" - | grep -q "ፊንላንድኛ"
  pdftotext "$work/out/plan-ar.pdf" - | grep -q "الفنلندية"
fi
printf 'smoke test passed: bundle started, saved, printed fi/ar/ti in %.1f s\n' "$(echo "$end - $start" | bc)"
