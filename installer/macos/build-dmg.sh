#!/bin/sh
# The macOS disk image: dist/peerdesk-VERSION.dmg holding peerdesk.app and a link to Applications,
# so installing is dragging one onto the other. Run on a Mac after PyInstaller has built
# dist/peerdesk.app from installer/peerdesk.spec (the release workflow does both):
#
#   pyinstaller --noconfirm --distpath dist --workpath build/pyinstaller installer/peerdesk.spec
#   python installer/smoke.py dist/peerdesk.app/Contents/MacOS/peerdesk
#   installer/macos/build-dmg.sh
#
# The app is signed ad hoc by PyInstaller, not with a Developer ID, and not notarised: the first
# time, macOS asks the user to open it with right-click → Open (README, "Installing").
# The data folder is ~/Library/Application Support/peerdesk, outside the app: replacing the app
# with a newer one, or moving it to the Bin, leaves it alone.
set -eu
cd "$(dirname "$0")/../.."
app=dist/peerdesk.app
[ -d "$app" ] || { echo "build-dmg: $app is missing; build it with PyInstaller first." >&2; exit 1; }
version=$(sed -n 's/^__version__ = "\(.*\)"$/\1/p' peerdesk/__init__.py)
dmg="dist/peerdesk-$version.dmg"
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
rm -f "$dmg"
hdiutil create -volname "peerdesk $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
hdiutil verify "$dmg"
echo "$dmg ($(du -h "$dmg" | cut -f1))"
