@echo off
rem Corral's command line (corral run | serve | agent | reap) for an installed app: runs the CLI
rem bundled in app.asar with Corral.exe as plain Node (ELECTRON_RUN_AS_NODE=1). Lives in
rem <install>\resources\bin, which the installer adds to PATH when the user ticks the option.
setlocal
set "CORRAL_RESOURCES=%~dp0.."
if not exist "%CORRAL_RESOURCES%\..\Corral.exe" (
  echo corral: cannot find Corral.exe next to %CORRAL_RESOURCES% 1>&2
  exit /b 2
)
set ELECTRON_RUN_AS_NODE=1
"%CORRAL_RESOURCES%\..\Corral.exe" "%CORRAL_RESOURCES%\app.asar\bin\corral.cjs" %*
exit /b %ERRORLEVEL%
