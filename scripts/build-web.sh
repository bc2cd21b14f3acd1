#!/usr/bin/env bash
# Builds the web client into web/dist (served by `haetae serve` at /). Installs its npm packages
# from the lock file only when they are missing or the lock file changed.
set -euo pipefail
cd "$(dirname "$0")/../web"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run build
