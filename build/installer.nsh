; Corral's NSIS additions (electron-builder includes this file: nsis.include in electron-builder.yml).
; An "Add corral to PATH" checkbox after the folder page; when ticked, $INSTDIR\resources\bin (which
; holds corral.cmd) is appended to the user's PATH (HKCU, so no admin is needed) and removed again
; on uninstall. Off by default: changing PATH is the user's choice.
!include nsDialogs.nsh
!include LogicLib.nsh

!define CORRAL_BIN "$INSTDIR\resources\bin"
!define CORRAL_ENV_KEY "Environment"

!ifndef BUILD_UNINSTALLER
  Var CorralAddToPath
  Var CorralPathCheckbox

  !macro customPageAfterChangeDir
    Page custom CorralPathPage CorralPathPageLeave
  !macroend

  Function CorralPathPage
    nsDialogs::Create 1018
    Pop $0
    ${NSD_CreateLabel} 0 0 100% 36u "Corral has a command line (corral run, corral serve, corral agent, corral reap). Adding it to PATH lets any new terminal start it."
    Pop $0
    ${NSD_CreateCheckbox} 0 44u 100% 12u "Add corral to PATH"
    Pop $CorralPathCheckbox
    ${NSD_SetState} $CorralPathCheckbox $CorralAddToPath
    nsDialogs::Show
  FunctionEnd

  Function CorralPathPageLeave
    ${NSD_GetState} $CorralPathCheckbox $CorralAddToPath
  FunctionEnd

  !macro customInstall
    ${If} $CorralAddToPath == ${BST_CHECKED}
      ReadRegStr $0 HKCU "${CORRAL_ENV_KEY}" "Path"
      ${StrContains} $1 "${CORRAL_BIN}" $0
      ${If} $1 == ""
        ${If} $0 == ""
          WriteRegExpandStr HKCU "${CORRAL_ENV_KEY}" "Path" "${CORRAL_BIN}"
        ${Else}
          WriteRegExpandStr HKCU "${CORRAL_ENV_KEY}" "Path" "$0;${CORRAL_BIN}"
        ${EndIf}
        ; Tell running Explorer (and so new terminals) that the environment changed.
        SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
      ${EndIf}
    ${EndIf}
  !macroend
!endif

!macro customUnInstall
  ; Rebuild the user's PATH without our folder, entry by entry (only an exact match is dropped).
  ReadRegStr $0 HKCU "${CORRAL_ENV_KEY}" "Path"
  StrCpy $1 ""  ; the new PATH
  StrCpy $2 ""  ; the current entry
  StrCpy $4 0   ; position in $0
  corral_path_loop:
    StrCpy $3 $0 1 $4
    IntOp $4 $4 + 1
    ${If} $3 == ";"
    ${OrIf} $3 == ""
      ${If} $2 != ""
      ${AndIf} $2 != "${CORRAL_BIN}"
        ${If} $1 == ""
          StrCpy $1 $2
        ${Else}
          StrCpy $1 "$1;$2"
        ${EndIf}
      ${EndIf}
      StrCpy $2 ""
      StrCmp $3 "" corral_path_done corral_path_loop
    ${EndIf}
    StrCpy $2 "$2$3"
    Goto corral_path_loop
  corral_path_done:
  ${If} $1 != $0
    WriteRegExpandStr HKCU "${CORRAL_ENV_KEY}" "Path" $1
    SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  ${EndIf}
!macroend
