#!/bin/sh
# Repacks the image archive build.sh wrote (pmj-VERSION-PLATFORM.tar.gz) as .zip beside it, for
# Homebrew, whose multi-platform formula takes .zip archives only (dist/pom.xml, profile
# packager-files). File modes survive (bin/pmj, runtime/bin/java and jspawnhelper must stay
# executable); Ant's zip task loses them when its input is a tar.
#   zip-image.sh OUT VERSION
set -eu
out=$1
version=$2
for tgz in "$out"/pmj-"$version"-*-*.tar.gz; do
  [ -f "$tgz" ] || exit 0 # no JDK to link with: no image archive (build.sh says so)
  zip=${tgz%.tar.gz}.zip
  work=$out/zip-work
  rm -rf "$work" "$zip"
  mkdir -p "$work"
  tar -xzf "$tgz" -C "$work"
  if command -v zip >/dev/null 2>&1; then
    (cd "$work" && zip -qry "$zip" .)
  else
    python3 - "$work" "$zip" <<'PY'
import os, stat, sys, zipfile
root, dest = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
    for d, dirs, files in sorted(os.walk(root)):
        dirs.sort()
        for name in [d] + [os.path.join(d, f) for f in sorted(files)]:
            rel = os.path.relpath(name, root)
            if rel == ".":
                continue
            info = zipfile.ZipInfo.from_file(name, rel)
            info.external_attr = (os.lstat(name).st_mode & 0xFFFF) << 16
            if os.path.isdir(name):
                z.writestr(info, b"")
            else:
                with open(name, "rb") as f:
                    z.writestr(info, f.read(), zipfile.ZIP_DEFLATED)
PY
  fi
  rm -rf "$work"
done
