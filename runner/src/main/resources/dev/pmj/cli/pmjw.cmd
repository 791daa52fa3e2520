<# : batch portion
@REM (The line above starts a comment for PowerShell and is a label for cmd.)
@REM pmjw.cmd: runs the pmj that .pmjw\pmjw.properties pins (written by 'pmj wrapper'). The first
@REM run downloads it with PowerShell, checks its SHA-256 and unpacks it under
@REM %PMJW_HOME% (default %USERPROFILE%\.pmj\wrapper); later runs start it from there.
@REM PMJW_REPOSITORY overrides the repository of the properties.
@ECHO OFF
SETLOCAL
SET "PMJW_SCRIPT=%~f0"
SET "PMJW_CMD="
@REM The PowerShell part below prints PMJW_CMD=the pmj.cmd to run, or says why not on stderr.
FOR /F "usebackq tokens=1* delims==" %%A IN (`powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -Command "& { Invoke-Command -NoNewScope -ScriptBlock ([ScriptBlock]::Create((Get-Content -Raw -LiteralPath $env:PMJW_SCRIPT))) }"`) DO (
  IF "%%A"=="PMJW_CMD" SET "PMJW_CMD=%%B"
)
IF NOT DEFINED PMJW_CMD EXIT /B 1
ENDLOCAL & "%PMJW_CMD%" %*
GOTO :EOF
: end of the batch part #>

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
function Fail([string] $message) {
  [Console]::Error.WriteLine("pmjw: $message")
  exit 1
}

$props = Join-Path (Split-Path -Parent $env:PMJW_SCRIPT) '.pmjw\pmjw.properties'
if (-not (Test-Path -LiteralPath $props -PathType Leaf)) {
  Fail "cannot read $props (run 'pmj wrapper' to write it)"
}
$p = @{}
foreach ($line in Get-Content -LiteralPath $props) {
  $i = $line.IndexOf('=')
  if ($i -gt 0 -and -not $line.StartsWith('#')) { $p[$line.Substring(0, $i)] = $line.Substring($i + 1).Trim() }
}
$version = $p['version']
if (-not $version) { Fail "no version in $props" }
$repository = if ($env:PMJW_REPOSITORY) { $env:PMJW_REPOSITORY } else { $p['repository'] }
$repository = "$repository".TrimEnd('/')
$arch = switch ($env:PROCESSOR_ARCHITECTURE) { 'AMD64' { 'x86_64' } 'ARM64' { 'aarch64' } default { "$_".ToLowerInvariant() } }
$platform = "windows-$arch"
$wrapperHome = if ($env:PMJW_HOME) { $env:PMJW_HOME } else { Join-Path $env:USERPROFILE '.pmj\wrapper' }
$dists = Join-Path $wrapperHome 'dists'

# The feature version (17, 21...) of the java JAVA_HOME or the PATH names; 0 when there is none.
function Get-JavaMajor {
  $java = $null
  if ($env:JAVA_HOME -and (Test-Path -LiteralPath (Join-Path $env:JAVA_HOME 'bin\java.exe'))) {
    $java = Join-Path $env:JAVA_HOME 'bin\java.exe'
  } else {
    $found = Get-Command java -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($found) { $java = $found.Source }
  }
  if (-not $java) { return 0 }
  # java writes its settings to stderr: read them without turning each line into an error.
  $ErrorActionPreference = 'Continue'
  $text = (& $java -XshowSettings:properties -version 2>&1 | Out-String)
  if ($text -match 'java\.specification\.version = (1\.)?(\d+)') { return [int]$Matches[2] }
  return 0
}

$sum = $p["sha256.$platform"]
if ($sum) {
  $kind = $platform; $label = $platform; $name = "pmj-dist-$version-$platform.zip"
} else {
  $kind = 'java'; $label = 'Java 17+'; $name = "pmj-dist-$version.zip"; $sum = $p['sha256.java-zip']
  # An unpacked Java archive was chosen with a Java 17+ at hand: no need to ask the JVM again.
  if (-not (Test-Path -LiteralPath (Join-Path $dists "pmj-$version-java") -PathType Container) -and (Get-JavaMajor) -lt 17) {
    Fail "no pmj archive for $platform and no Java 17+ found (install Java 17+ or set JAVA_HOME to one)"
  }
  if (-not $sum) { Fail "no sha256.java-zip in $props" }
}
$dir = Join-Path $dists "pmj-$version-$kind"

if (-not (Test-Path -LiteralPath $dir -PathType Container)) {
  $url = "$repository/dev/pmj/pmj-dist/$version/$name"
  New-Item -ItemType Directory -Force -Path $dists | Out-Null
  # Everything happens in a folder of our own beside the cache: a rename publishes the result
  # whole, so a pmjw running at the same time never sees half a folder.
  $tmp = Join-Path $dists ('.download.' + [Guid]::NewGuid().ToString('N'))
  New-Item -ItemType Directory -Path $tmp | Out-Null
  try {
    [Console]::Error.WriteLine("pmjw: downloading pmj $version for $label from $url")
    $archive = Join-Path $tmp $name
    try {
      if ($url.StartsWith('file:')) {
        Copy-Item -LiteralPath ([Uri]$url).LocalPath -Destination $archive
      } else {
        [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
        Invoke-WebRequest -Uri $url -OutFile $archive -UseBasicParsing
      }
    } catch {
      Fail "cannot download ${url}: $($_.Exception.Message)"
    }
    $actual = (Get-FileHash -Algorithm SHA256 -LiteralPath $archive).Hash.ToLowerInvariant()
    if ($actual -ne $sum.ToLowerInvariant()) {
      Fail "SHA-256 of $url is $actual, expected ${sum}: refusing to run it"
    }
    $stage = Join-Path $tmp "pmj-$version-$kind"
    try {
      Expand-Archive -LiteralPath $archive -DestinationPath $stage
    } catch {
      Fail "cannot unpack ${url}: $($_.Exception.Message)"
    }
    if (-not (Test-Path -LiteralPath (Join-Path $stage "pmj-$version\bin\pmj.cmd") -PathType Leaf)) {
      Fail "$url holds no pmj-$version\bin\pmj.cmd"
    }
    # Where another pmjw was first, the move fails and its copy is used.
    try {
      [IO.Directory]::Move($stage, $dir)
    } catch {
      if (-not (Test-Path -LiteralPath $dir -PathType Container)) { Fail "cannot write ${dir}: $($_.Exception.Message)" }
    }
  } finally {
    Remove-Item -LiteralPath $tmp -Recurse -Force -ErrorAction SilentlyContinue
  }
}
Write-Output ('PMJW_CMD=' + (Join-Path $dir "pmj-$version\bin\pmj.cmd"))
