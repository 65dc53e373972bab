#!/usr/bin/env sh
# Provisions the pinned real n8n (2.41.1 on Node 24) once into $N8N_RUNTIME_DIR or
# ~/.cache/n8n-nodes-whatsapp-commerce/n8n-2.41.1; a second run is a no-op. Logic in n8n-runtime.js.
exec node "$(dirname "$0")/n8n-runtime.js" "$@"
