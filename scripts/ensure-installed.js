#!/usr/bin/env node
/**
 * Makes `npm test` and `npm start` work on a fresh clone: installs the locked dev dependencies once
  * (npm ci refuses this lock: npm 11 drops other platforms' optional bindings of unrs-resolver from it; scripts off: n8n-workflow's optional isolated-vm needs Node 24 and is not used here).
 */
const { existsSync } = require('fs');
const { execSync } = require('child_process');
const { join } = require('path');

const root = join(__dirname, '..');
const marker = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(marker) || !existsSync(join(root, 'node_modules', 'n8n-core'))) {
	console.log('[setup] installing dev dependencies (npm install from the lock file, scripts off)...');
	execSync('npm install --ignore-scripts --no-audit --no-fund --no-save', { cwd: root, stdio: 'inherit' });
}
