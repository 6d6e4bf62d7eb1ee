@echo off
rem Launcher of the cloudhsm_audit modular input on Windows. splunkd runs it with --scheme,
rem --validate-arguments or no argument (run mode); it starts the bundled collector (collector.js)
rem on the first Node.js runtime of at least version 22 (the version the bundle is built for; 20
rem is past its end of life):
rem   1. a runtime shipped inside the app: bin\runtime\win-<arch>\node.exe (arch: x64 or arm64);
rem   2. %SPLUNK_HOME%\bin\node.exe, if new enough (Splunk removes it in 10.2);
rem   3. node on PATH.
rem NODE_OPTIONS is cleared so it cannot alter the collector.
setlocal EnableExtensions DisableDelayedExpansion
set "MIN_MAJOR=22"
set "APP_BIN=%~dp0"
set "BUNDLE=%APP_BIN%collector.js"
set "NODE_OPTIONS="
set "LD_LIBRARY_PATH="
set "NODE="
set "ARCH=x64"
if /i "%PROCESSOR_ARCHITECTURE%"=="ARM64" set "ARCH=arm64"

call :usable "%APP_BIN%runtime\win-%ARCH%\node.exe" && goto run
if defined SPLUNK_HOME call :usable "%SPLUNK_HOME%\bin\node.exe" && goto run
for /f "delims=" %%N in ('where node 2^>nul') do call :usable "%%N" && goto run

>&2 echo FATAL cloudhsm_audit: no Node.js runtime ^>= %MIN_MAJOR% found (looked in %APP_BIN%runtime\win-%ARCH%\node.exe, %%SPLUNK_HOME%%\bin\node.exe and PATH). Install Node.js %MIN_MAJOR% or later on this host.
exit /b 127

:run
"%NODE%" --max-semi-space-size=2 "%BUNDLE%" %*
exit /b %ERRORLEVEL%

rem Sets NODE to %1 and succeeds if %1 exists and reports a major version >= MIN_MAJOR.
:usable
if not exist "%~1" exit /b 1
set "VER="
for /f "delims=" %%V in ('"%~1" --version 2^>nul') do set "VER=%%V"
if not defined VER exit /b 1
set "MAJOR=0"
for /f "delims=v." %%M in ("%VER%") do set "MAJOR=%%M"
if %MAJOR% LSS %MIN_MAJOR% exit /b 1
set "NODE=%~1"
exit /b 0
