#!/usr/bin/env bash
# Per-user install of the unpacked tarball: ~/.local/opt/counsel + menu entry + icons.
# Uninstall: bash install.sh --uninstall (your vault in ~/.local/share/Counsel is kept).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${XDG_DATA_HOME:-$HOME/.local/share}
opt=$HOME/.local/opt/counsel
if [ "${1:-}" = "--uninstall" ]; then
  rm -rf "$opt" "$prefix/applications/fi.counsel.Counsel.desktop" "$prefix/metainfo/fi.counsel.Counsel.metainfo.xml"
  find "$prefix/icons/hicolor" -name 'fi.counsel.Counsel.*' -delete 2>/dev/null || true
  echo "Counsel removed. Your vault was not touched."
  exit 0
fi
mkdir -p "$opt" "$prefix/applications" "$prefix/metainfo" "$HOME/.local/bin"
cp -a "$here/lib/." "$opt/"
ln -sf "$opt/counsel" "$HOME/.local/bin/counsel-app"
sed "s|^Exec=counsel|Exec=$opt/counsel|" "$here/share/applications/fi.counsel.Counsel.desktop" \
  > "$prefix/applications/fi.counsel.Counsel.desktop"
cp "$here/share/metainfo/fi.counsel.Counsel.metainfo.xml" "$prefix/metainfo/"
cp -a "$here/share/icons/." "$prefix/icons/"
echo "Counsel installed: $opt (menu entry added)."
