; The Windows installer: peerdesk-VERSION-setup.exe from the PyInstaller bundle.
;
;   makensis /DVERSION=0.1.0 /DSOURCE_DIR=%CD%\dist\peerdesk /DOUTFILE=%CD%\dist\peerdesk-0.1.0-setup.exe installer\windows\peerdesk.nsi
;
; (absolute paths: makensis works from this script's folder)
; Installs for the person running it, without administrator rights (a charity's shared laptop
; often has none to give), into %LOCALAPPDATA%\Programs\peerdesk, with a Start menu entry and an
; entry in "Installed apps". The data folder is %LOCALAPPDATA%\peerdesk: a different folder,
; which installing, updating and uninstalling never touch. Uninstalling deletes only the files it
; installed, by name, so even a data folder chosen inside the program folder would stay.

Unicode true

!ifndef VERSION
  !error "Give the version: /DVERSION=0.1.0"
!endif
!ifndef SOURCE_DIR
  !error "Give the bundle: /DSOURCE_DIR=dist\peerdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "peerdesk-${VERSION}-setup.exe"
!endif

!define NAME "peerdesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\peerdesk"
!define ICON "..\peerdesk.ico" ; makensis works from this script's folder

!include "MUI2.nsh"

Name "${NAME}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\peerdesk"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
SetCompressor /SOLID lzma
BrandingText "peerdesk ${VERSION}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "This installs peerdesk ${VERSION} for you on this computer.$\r$\n$\r$\nIf peerdesk is already installed, this updates it. Your data stays where it is and opens as before.$\r$\n$\r$\nClose peerdesk before you go on."
!define MUI_FINISHPAGE_RUN "$INSTDIR\peerdesk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Open peerdesk now"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "This removes the peerdesk program. Your data (in $LOCALAPPDATA\peerdesk) is not removed: installing peerdesk again opens it as before."

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "peerdesk"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "peerdesk installer"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "The peerdesk project"

Section "peerdesk" Main
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; An update replaces the program's libraries whole, so none of the old version's are left over.
  RMDir /r "$INSTDIR\_internal"
  File "${SOURCE_DIR}\peerdesk.exe"
  File "${SOURCE_DIR}\peerdesk-cli.exe"
  File /r "${SOURCE_DIR}\_internal"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\peerdesk.lnk" "$INSTDIR\peerdesk.exe"

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "peerdesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "The peerdesk project"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\peerdesk.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\peerdesk.lnk"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\peerdesk.exe"
  Delete "$INSTDIR\peerdesk-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR" ; only when empty
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
