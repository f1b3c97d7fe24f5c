#!/usr/bin/env bash
# Re-vendor the front-end assets served from jipp/core/static/vendor/.
#
# We ship no npm build (STYLE.md): this script only `npm pack`s the pinned
# package versions into a temporary directory and copies the dist files and
# licences. Run it from anywhere; bump a version with e.g.
#   BOOTSTRAP_VERSION=5.3.10 scripts/vendor_assets.sh
# then update the table in jipp/core/static/vendor/README.md and commit.
#
# The .map files are copied too: the minified files end with a
# sourceMappingURL comment, and whitenoise's CompressedManifestStaticFilesStorage
# rewrites that reference during collectstatic and fails if the map is missing.
set -euo pipefail

BOOTSTRAP_VERSION="${BOOTSTRAP_VERSION:-5.3.9}"
HTMX_VERSION="${HTMX_VERSION:-2.0.11}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="$ROOT/jipp/core/static/vendor"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Unpack `npm pack <spec>` into $TMP/<name>/package and print that path.
unpack() {
    local spec="$1" name="$2" tarball
    tarball="$(cd "$TMP" && npm pack --silent "$spec" | tail -n 1)"
    mkdir -p "$TMP/$name"
    tar -xzf "$TMP/$tarball" -C "$TMP/$name"
    echo "$TMP/$name/package"
}

BS="$(unpack "bootstrap@$BOOTSTRAP_VERSION" bootstrap)"
HX="$(unpack "htmx.org@$HTMX_VERSION" htmx)"

rm -rf "$DEST/bootstrap" "$DEST/htmx"
mkdir -p "$DEST/bootstrap/css" "$DEST/bootstrap/js" "$DEST/htmx"

cp "$BS/dist/css/bootstrap.min.css" "$BS/dist/css/bootstrap.min.css.map" "$DEST/bootstrap/css/"
cp "$BS/dist/js/bootstrap.bundle.min.js" "$BS/dist/js/bootstrap.bundle.min.js.map" "$DEST/bootstrap/js/"
cp "$BS/LICENSE" "$DEST/bootstrap/LICENSE"

cp "$HX/dist/htmx.min.js" "$DEST/htmx/"
cp "$HX/LICENSE" "$DEST/htmx/LICENSE"

# Every sourceMappingURL must point at a file we ship (see comment above).
status=0
while IFS= read -r file; do
    map="$(sed -n 's#.*sourceMappingURL=\([^ *]*\).*#\1#p' "$file" | tail -n 1)"
    if [ -n "$map" ] && [ ! -f "$(dirname "$file")/$map" ]; then
        echo "missing source map: $file -> $map" >&2
        status=1
    fi
done < <(find "$DEST" -type f \( -name '*.js' -o -name '*.css' \))

echo "Vendored bootstrap $BOOTSTRAP_VERSION and htmx.org $HTMX_VERSION into $DEST"
(cd "$DEST" && find . -type f ! -name README.md | sort | xargs sha256sum)
exit "$status"
