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
// Every devDependency must be there: a dependency added since the last install counts as missing.
const devDependencies = Object.keys(require(join(root, 'package.json')).devDependencies ?? {});
const missing = devDependencies.filter((name) => !existsSync(join(root, 'node_modules', name, 'package.json')));
if (!existsSync(marker) || missing.length > 0) {
	console.log('[setup] installing dev dependencies (npm install from the lock file, scripts off)...');
	execSync('npm install --ignore-scripts --no-audit --no-fund --no-save', { cwd: root, stdio: 'inherit' });
}
