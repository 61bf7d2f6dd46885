#!/usr/bin/env bash
# Rebuild the query page's third-party bundle from the npm registry, at a pinned version.
#
#   bash graph/query_assets/build.sh            # writes yasgui.min.js, yasgui.min.css, LICENSE here
#
# Needs node and npm (Debian: apt-get install -y nodejs npm). Install scripts are not run: the
# package ships its bundle prebuilt. The source-map comment is dropped (the map is not shipped).
# LICENSE gathers the licence of every package npm installs with Yasgui (the bundle is built from
# them); a package that ships no licence file is listed with the licence its package.json names.
set -euo pipefail

YASGUI_VERSION=4.6.2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --ignore-scripts --no-audit --no-fund --save-exact "@zazuko/yasgui@${YASGUI_VERSION}" >/dev/null

build="node_modules/@zazuko/yasgui/build"
grep -v '^//# sourceMappingURL=' "$build/yasgui.min.js" >"$here/yasgui.min.js"
cp "$build/yasgui.min.css" "$here/yasgui.min.css"

node - "$here/LICENSE" "$YASGUI_VERSION" <<'NODE'
const fs = require("fs");
const path = require("path");
const [out, version] = process.argv.slice(2);
const MIT = `Permission is hereby granted, free of charge, to any person obtaining a copy of this software
and associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.`;
const dirs = [];
for (const name of fs.readdirSync("node_modules").sort()) {
  if (name.startsWith(".")) continue;
  if (name.startsWith("@")) {
    for (const sub of fs.readdirSync(path.join("node_modules", name)).sort()) dirs.push(path.join(name, sub));
  } else dirs.push(name);
}
const parts = [
  `yasgui.min.js and yasgui.min.css are the bundle of @zazuko/yasgui ${version} from the npm registry`,
  "(rebuilt by build.sh beside this file). The licences of the packages it is made of follow.",
];
for (const dir of dirs) {
  const full = path.join("node_modules", dir);
  const manifest = path.join(full, "package.json");
  if (!fs.existsSync(manifest)) continue;
  const pkg = JSON.parse(fs.readFileSync(manifest, "utf8"));
  const found = fs.readdirSync(full).sort().find((f) => /^(licen[cs]e|copying)/i.test(f));
  let text;
  if (found) text = fs.readFileSync(path.join(full, found), "utf8").trim();
  else {
    const author = typeof pkg.author === "object" ? pkg.author.name : pkg.author || "its authors";
    text = `(no licence file in the package; its package.json says "${pkg.license}", author ${author})`;
    if (pkg.license === "MIT") text += `\n\nCopyright (c) ${author}\n\n${MIT}`;
  }
  parts.push(`${"=".repeat(78)}\n${pkg.name} ${pkg.version} (${pkg.license || "see below"})\n\n${text}`);
}
fs.writeFileSync(out, parts.join("\n\n") + "\n");
NODE
echo "built @zazuko/yasgui ${YASGUI_VERSION} into ${here}"
