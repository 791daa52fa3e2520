@echo off
rem pmj launcher for Windows: builds the jar with Maven when it is missing, then runs it.
setlocal
set "ROOT=%~dp0"
set "JAR=%ROOT%runner\target\pmj.jar"
if not exist "%JAR%" (
  echo pmj: building ^(mvn package^)... 1>&2
  pushd "%ROOT%" && call mvn -q -B -DskipTests package 1>&2 & popd
  if not exist "%JAR%" ( echo pmj: build failed 1>&2 & exit /b 2 )
)
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
"%JAVA%" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Dpmj.home="%ROOT:~0,-1%" -jar "%JAR%" %*
exit /b %ERRORLEVEL%
