@echo off
rem pmj launcher for Windows. In a source checkout it builds the jar with Maven when it is
rem missing; in the Java archive (bin\pmj.cmd beside ..\lib\pmj.jar) it runs the jar as it is.
setlocal
set "ROOT=%~dp0"
set "HOMEDIR=%ROOT:~0,-1%"
set "JAR=%ROOT%runner\target\pmj.jar"
if not exist "%ROOT%runner" if exist "%ROOT%..\lib\pmj.jar" (
  set "JAR=%ROOT%..\lib\pmj.jar"
  for %%I in ("%ROOT%..") do set "HOMEDIR=%%~fI"
)
if not exist "%JAR%" (
  echo pmj: building ^(mvn package^)... 1>&2
  pushd "%ROOT%" && call mvn -q -B -DskipTests package 1>&2 & popd
  if not exist "%JAR%" ( echo pmj: build failed 1>&2 & exit /b 2 )
)
rem The JDK: PMJ_JAVA (a java program or a JDK folder), else JAVA_HOME, else java on the PATH.
rem (No start-up cache on Windows yet: the POSIX launcher keeps one.)
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
if defined PMJ_JAVA set "JAVA=%PMJ_JAVA%"
if defined PMJ_JAVA if exist "%PMJ_JAVA%\bin\java.exe" set "JAVA=%PMJ_JAVA%\bin\java"
rem pmj.launcher: the path this script was invoked by, which pmj service install writes.
"%JAVA%" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmn3m -XX:TLABSize=16k -Xmx128m %PMJ_JAVA_OPTS% -Dpmj.home="%HOMEDIR%" -Dpmj.launcher="%~f0" -Dpmj.cache=off -jar "%JAR%" %*
exit /b %ERRORLEVEL%
