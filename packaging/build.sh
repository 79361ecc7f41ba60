#!/usr/bin/env bash
# Build the one-folder desktop bundle and a tarball, then smoke-run the *bundled* binary:
#   bash packaging/build.sh            → dist/counsel/ and dist/Counsel-<version>-linux-<arch>.tar.gz
#   bash packaging/build.sh --no-smoke
# On Windows/macOS run the same PyInstaller spec there (see docs/packaging.md).
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=1
[ "${1:-}" = "--no-smoke" ] && smoke=0

[ -x .venv/bin/python ] || bash packaging/bootstrap.sh install
py=.venv/bin/python
$py -m pip install -q "pyinstaller>=6.10"
$py -m counsel.i18n.tools compile
rm -rf build/icons && $py packaging/make_icons.py build/icons
# static font instances made now and shipped, so the first print is not slow (copied
# from the source install's instances when they are there: same names, same sources)
rm -rf build/fonts && mkdir -p build/fonts
cp .venv/share/counsel/fonts/*.ttf build/fonts/ 2>/dev/null || true
$py -m counsel.plans.fonts build/fonts >/dev/null
$py -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
  packaging/counsel.spec

version=$($py -c 'import counsel; print(counsel.__version__)')
arch=$(uname -m)
stage=build/stage/Counsel-$version
rm -rf build/stage && mkdir -p "$stage/share/applications" "$stage/share/metainfo" "$stage/share/icons/hicolor"
cp -a dist/counsel "$stage/lib"
ln -s lib/counsel "$stage/counsel"
cp packaging/linux/fi.counsel.Counsel.desktop "$stage/share/applications/"
cp packaging/linux/fi.counsel.Counsel.metainfo.xml "$stage/share/metainfo/"
cp -a build/icons/*x* "$stage/share/icons/hicolor/"
mkdir -p "$stage/share/icons/hicolor/scalable/apps"
cp packaging/linux/fi.counsel.Counsel.svg "$stage/share/icons/hicolor/scalable/apps/"
cp packaging/linux/install.sh "$stage/"
tar -C build/stage -czf "dist/Counsel-$version-linux-$arch.tar.gz" "Counsel-$version"
du -sh dist/counsel "dist/Counsel-$version-linux-$arch.tar.gz"

if [ $smoke = 1 ]; then
  bash packaging/smoke.sh dist/counsel/counsel
fi
