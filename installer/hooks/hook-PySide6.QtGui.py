# Replaces PyInstaller's own hook for PySide6.QtGui (hooks in the spec's hookspath come first):
# the same collection, less the Qt plugins peerdesk never loads. They go here, not after the
# analysis, because the analysis would otherwise bundle every library those plugins link to (the
# GTK theme plugin alone brings GTK, cairo and pango).
import re

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED_PLUGINS = re.compile(
    r"plugins[/\\]("
    r"egldeviceintegrations|generic|platforminputcontexts"  # embedded boards, touch, input methods
    r"|platforms[/\\][^/\\]*(eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl)[^/\\]*"  # no desktop
    r"|platformthemes[/\\][^/\\]*gtk3[^/\\]*"  # the portal theme plugin gives light/dark instead
    r"|imageformats[/\\][^/\\]*(pdf|tga|tiff|wbmp|webp|icns)[^/\\]*"  # peerdesk shows PNG only
    r")"
)

hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [entry for entry in binaries if not UNUSED_PLUGINS.search(entry[0])]
