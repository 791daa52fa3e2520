#!/bin/sh
# Builds pmj's release archives and the Maven-layout repository a release publishes (README, "Install"),
# from the jar runner/ built. Run by `mvn verify` (dist/pom.xml, phase package):
#   build.sh VERSION JAR ROOT OUT
# OUT (dist/target) receives:
#   pmj-VERSION-PLATFORM.tar.gz  a jlink image of the modules pmj needs, bin/pmj, lib/pmj.jar,
#                                schemas/, and lib/cache/: the start-up caches of every kind of start,
#                                made here by the launcher's own training on the image's java
#   pmj-VERSION.zip, .tar.gz     bin/pmj, bin/pmj.cmd, lib/pmj.jar, schemas/ (Java 17+ needed)
#   repository/                  dev/pmj/pmj-dist/VERSION/pmj-dist-VERSION….{tar.gz,zip,pom} with
#                                .sha256/.sha1/.md5 (the hex digest alone), and maven-metadata.xml
# PLATFORM is the os-arch of the JDK that links the image (linux-x86_64, macos-aarch64…), so the
# same command makes the archive of whatever system it runs on. That JDK is PMJ_DIST_JDK when set,
# else the newest JDK 22+ with jlink found where the launcher looks. Without one only the Java
# archives are made (under CI=true that is an error).
set -eu
version=$1
jar=$2
root=$3
out=$4

# The modules pmj uses (jdeps also names java.desktop, java.scripting and java.xml, reached only
# from library code pmj never runs: JNA, commons-text's script lookups, SnakeYAML's beans).
modules=java.base,java.logging,jdk.httpserver,jdk.unsupported

release_value() { # HOME KEY
  sed -n "s/^$2=\"\\(.*\\)\"\$/\\1/p" "$1/release" 2>/dev/null | head -n 1
}
major_of_home() {
  v=$(release_value "$1" JAVA_VERSION)
  v=${v#1.}
  v=${v%%[!0-9]*}
  echo "${v:-0}"
}

# The JDK that links the image.
jdk=
if [ -n "${PMJ_DIST_JDK:-}" ]; then
  jdk=$PMJ_DIST_JDK
  if [ ! -x "$jdk/bin/jlink" ]; then
    echo "pmj dist: PMJ_DIST_JDK=$jdk has no bin/jlink" >&2
    exit 1
  fi
else
  best=0
  for j in ${JAVA_HOME:+"$JAVA_HOME"} /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/*jdk* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home "${HOME:-/nonexistent}"/.sdkman/candidates/java/*; do
    [ -x "$j/bin/jlink" ] || continue
    m=$(major_of_home "$j")
    if [ "$m" -ge 22 ] && [ "$m" -gt "$best" ]; then jdk=$j; best=$m; fi
  done
fi

hexdigest() { # ALGORITHM FILE: the hex digest alone
  case $1 in
    sha256) { sha256sum "$2" 2>/dev/null || shasum -a 256 "$2"; } | cut -d' ' -f1 ;;
    sha1) { sha1sum "$2" 2>/dev/null || shasum -a 1 "$2"; } | cut -d' ' -f1 ;;
    md5) { md5sum "$2" 2>/dev/null || md5 -q "$2"; } | cut -d' ' -f1 ;;
  esac
}

# tar with files listed in this order (the jar before the caches: a tool that stamps files as it
# unpacks them must not make a cache look older than the jar, which would make it stale).
make_tar() { # ARCHIVE DIR ENTRIES...
  archive=$1
  dir=$2
  shift 2
  tar -C "$dir" --owner=0 --group=0 --numeric-owner -cf - "$@" 2>/dev/null | gzip -6 >"$archive.tmp" \
    || tar -C "$dir" -cf - "$@" | gzip -6 >"$archive.tmp"
  mv -f "$archive.tmp" "$archive"
}

name=pmj-$version
work=$out/dist-work
mkdir -p "$work" "$out"

# The launcher of the checkout, told which version it belongs to (its install folder may be named
# anything: the user cache folder it makes is named by the version).
stage_common() { # DIR
  rm -rf "$1"
  mkdir -p "$1/bin" "$1/lib" "$1/schemas"
  sed "s/^dist_version=\$/dist_version=$version/" "$root/pmj" >"$1/bin/pmj"
  chmod 755 "$1/bin/pmj"
  cp "$jar" "$1/lib/pmj.jar"
  cp "$root/schemas/pmj.schema.json" "$1/schemas/"
}

# The Java archive.
java_dir=$work/java/$name
stage_common "$java_dir"
cp "$root/pmj.cmd" "$java_dir/bin/pmj.cmd"
make_tar "$out/$name.tar.gz" "$work/java" "$name"
rm -f "$out/$name.zip"
if command -v zip >/dev/null 2>&1; then
  (cd "$work/java" && zip -q -r -X "$out/$name.zip.tmp" "$name")
else
  # The JDK's jar tool writes a zip too, without the files' modes (bin/pmj is not executable
  # when unpacked: sh bin/pmj runs it).
  jartool=${JAVA_HOME:+$JAVA_HOME/bin/}jar
  "$jartool" --create --no-manifest --file "$out/$name.zip.tmp" -C "$work/java" "$name"
fi
mv -f "$out/$name.zip.tmp" "$out/$name.zip"
archives="$name.tar.gz $name.zip"

# The image archive.
if [ -z "$jdk" ]; then
  if [ "${CI:-}" = true ]; then
    echo "pmj dist: no JDK 22+ with jlink found (set PMJ_DIST_JDK); CI needs the image archive" >&2
    exit 1
  fi
  echo "pmj dist: no JDK 22+ with jlink found (set PMJ_DIST_JDK): made only the Java archives" >&2
  platform=
else
  os=$(release_value "$jdk" OS_NAME)
  arch=$(release_value "$jdk" OS_ARCH)
  case $os in
    Linux | linux) os=linux ;;
    Darwin | "Mac OS X" | macOS | macos) os=macos ;;
    Windows* | windows) os=windows ;;
    *) os=$(echo "$os" | tr 'A-Z ' 'a-z-') ;;
  esac
  case $arch in
    amd64 | x86_64 | x64) arch=x86_64 ;;
    aarch64 | arm64) arch=aarch64 ;;
  esac
  platform=$os-$arch
  image_dir=$work/image/$name
  linked_from=$work/image/jdk-release
  # The runtime is linked again only when the JDK or the options changed; the caches are made
  # again whenever the jar did (the AOT cache does not check the jar it was made with).
  cds=
  # Before 25 the launcher keeps an AppCDS archive, which builds on the runtime's default one.
  [ "$(major_of_home "$jdk")" -lt 25 ] && cds=--generate-cds-archive
  # No --compress (not even zip-0, which stores resources in the compressed form): classes that
  # are not in the AOT cache are then read from lib/modules in place. With zip-0, pmj up of 100
  # processes held 4.5 MB more of that file (5 MB against 0.5).
  jlink_options="--add-modules $modules --strip-debug --no-man-pages --no-header-files $cds"
  if [ ! -f "$image_dir/runtime/release" ] \
    || [ "$(cat "$jdk/release"; echo "$jlink_options")" != "$(cat "$linked_from" 2>/dev/null)" ]; then
    rm -rf "$image_dir"
    mkdir -p "$image_dir"
    "$jdk/bin/jlink" $jlink_options --output "$image_dir/runtime"
    { cat "$jdk/release"; echo "$jlink_options"; } >"$linked_from"
  fi
  if [ ! -f "$image_dir/lib/pmj.jar" ] || ! cmp -s "$jar" "$image_dir/lib/pmj.jar" \
    || ! cmp -s "$root/pmj" "$work/image/launcher.from" 2>/dev/null || [ ! -d "$image_dir/lib/cache" ]; then
    mv "$image_dir/runtime" "$work/image/runtime.keep"
    stage_common "$image_dir"
    mv "$work/image/runtime.keep" "$image_dir/runtime"
    mkdir -p "$image_dir/lib/cache"
    # The launcher's own training, with the image's java and its options, written where the
    # installed launcher looks first (a cache it cannot use there it makes in the user's folder).
    if ! (unset PMJ_JAVA PMJ_JAVA_OPTS JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS
      PMJ_CACHE_DIR=$image_dir/lib/cache "$image_dir/bin/pmj" __caches >/dev/null); then
      echo "pmj dist: the image's start-up caches could not be made" >&2
      exit 1
    fi
    cp "$root/pmj" "$work/image/launcher.from"
  fi
  make_tar "$out/$name-$platform.tar.gz" "$work/image" \
    "$name/bin" "$name/lib/pmj.jar" "$name/lib/cache" "$name/runtime" "$name/schemas"
  archives="$name-$platform.tar.gz $archives"
fi

# The repository, as a release publishes it.
repo=$out/repository/dev/pmj/pmj-dist
dir=$repo/$version
rm -rf "$out/repository"
mkdir -p "$dir"
for a in $archives; do
  cp "$out/$a" "$dir/pmj-dist-${a#pmj-}"
done
cat >"$dir/pmj-dist-$version.pom" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dev.pmj</groupId>
  <artifactId>pmj-dist</artifactId>
  <version>$version</version>
  <packaging>pom</packaging>
  <name>pmj</name>
  <description>pmj, a developer process runner: the archives to install it (${platform:+pmj-dist-$version-$platform.tar.gz: runtime included; }pmj-dist-$version.zip and .tar.gz: Java 17+).</description>
</project>
EOF
cat >"$repo/maven-metadata.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<metadata>
  <groupId>dev.pmj</groupId>
  <artifactId>pmj-dist</artifactId>
  <versioning>
    <latest>$version</latest>
    <release>$version</release>
    <versions>
      <version>$version</version>
    </versions>
    <lastUpdated>$(date -u +%Y%m%d%H%M%S)</lastUpdated>
  </versioning>
</metadata>
EOF
for f in "$dir"/* "$repo/maven-metadata.xml"; do
  for alg in sha256 sha1 md5; do
    printf '%s' "$(hexdigest $alg "$f")" >"$f.$alg"
  done
done
for a in $archives; do
  echo "pmj dist: $out/$a ($(wc -c <"$out/$a" | tr -d ' ') bytes)"
done
