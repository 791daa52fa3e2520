#!/usr/bin/env bash
# Makes a scratch pmj with one start-up trick turned off, to measure what the trick saves
# (docs/startup.md). DIR gets the Java archive's layout (bin/pmj, lib/pmj.jar): this checkout's
# launcher and jar, with each FILE changed by its sed expression (-E) first. A .java file of
# runner/src/main is compiled alone (release 17) against the jar and its classes replace those in
# the copy; the launcher (pmj) is changed in place. `--picocli-jar` puts the classes of picocli's
# own jar (class-file version 49) in place of the ones the build compiles from its sources.
# A sed expression that changes nothing is an error: the trick's code moved, this line must follow.
# Run by hand, not in CI.
#   bench/startup-variant.sh /tmp/v-base
#   bench/startup-variant.sh /tmp/v-hash runner/src/main/java/dev/pmj/config/Variables.java \
#       's/java\.util\.IdentityHashMap/java.util.HashMap/g'
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 DIR [--picocli-jar] [FILE SED]..." >&2; exit 2; }
dir=$1
shift
# DIR is replaced whole: only an earlier scratch build (or nothing) may be there.
if [ -e "$dir" ] && [ ! -f "$dir/lib/pmj.jar" ]; then
  echo "$0: $dir exists and is not a scratch build of this script" >&2
  exit 2
fi
"$repo/pmj" --version >/dev/null # builds the jar when the sources are newer
jar=$repo/runner/target/pmj.jar
rm -rf "$dir"
mkdir -p "$dir/bin" "$dir/lib"
cp "$repo/pmj" "$dir/bin/pmj"
cp "$jar" "$dir/lib/pmj.jar"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
while [ $# -gt 0 ]; do
  if [ "$1" = --picocli-jar ]; then
    pv=$(sed -n 's:.*<picocli.version>\(.*\)</picocli.version>.*:\1:p' "$repo/pom.xml")
    pj=$HOME/.m2/repository/info/picocli/picocli/$pv/picocli-$pv.jar
    mkdir -p "$work/picocli"
    (cd "$work/picocli" && unzip -q -o "$pj" 'picocli/*')
    (cd "$dir/lib" && jar uf pmj.jar -C "$work/picocli" picocli)
    echo "picocli classes from $pj" >&2
    shift
    continue
  fi
  [ $# -ge 2 ] || { echo "$0: $1 has no sed expression" >&2; exit 2; }
  file=$1 expr=$2
  shift 2
  case $file in
    pmj)
      sed -E "$expr" "$repo/pmj" >"$dir/bin/pmj"
      ! cmp -s "$repo/pmj" "$dir/bin/pmj" || { echo "$0: '$expr' changes nothing in pmj" >&2; exit 1; }
      ;;
    *.java)
      name=$(basename "$file")
      mkdir -p "$work/src" "$work/classes"
      sed -E "$expr" "$repo/$file" >"$work/src/$name"
      ! cmp -s "$repo/$file" "$work/src/$name" || { echo "$0: '$expr' changes nothing in $file" >&2; exit 1; }
      rm -rf "$work/classes" && mkdir "$work/classes"
      javac -nowarn --release 17 -cp "$dir/lib/pmj.jar" -d "$work/classes" "$work/src/$name"
      (cd "$dir/lib" && jar uf pmj.jar -C "$work/classes" .)
      ;;
    *) echo "$0: $file: a .java file of runner/src/main or pmj" >&2; exit 2 ;;
  esac
done
chmod +x "$dir/bin/pmj"
echo "$dir/bin/pmj"
