#!/usr/bin/env sh
# Builds, packs and installs this package into an n8n user folder as a community package (offline).
# Usage: scripts/install-package.sh <N8N_USER_FOLDER> [--no-build]. Logic in install-package.js.
exec node "$(dirname "$0")/install-package.js" "$@"
