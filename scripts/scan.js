#!/usr/bin/env node
/**
 * `npm run scan`: n8n's own verification scanner, @n8n/scan-community-package, run the way n8n runs it on a
 * submitted package, but on this checkout and its packed tarball (the package is not on the registry, and the
 * scanner's CLI only scans published versions: it downloads the tarball and the provenance-attested source).
 *
 * What n8n's scanner does (scanner/scanner.mjs, analyzePackageByName): provenance check, then ESLint with its own
 * config (buildScanConfig) over two legs, both of which must pass:
 *   1. source leg: the attested source checkout, files SOURCE_FILE_PATTERNS (package.json, nodes/**, credentials/**);
 *   2. tarball leg: the published package, files `**\/*.js` and `package.json`.
 * This script calls the scanner's exported analyzePackage with exactly those patterns: leg 1 on this checkout,
 * leg 2 on the output of `npm pack`. Provenance cannot be checked before publishing; the release workflow
 * (.github/workflows/release.yml) is what gives the published package its provenance.
 *
 * It also checks the tarball holds only what should ship: dist/ (compiled nodes, credentials, icons, index),
 * README.md, LICENSE and package.json; no test, bench, sandbox or script code.
 *
 * The scanner is installed with scripts off into a folder outside the project (it is not a dependency: it
 * brings its own eslint, typescript 7 and n8n's expression runtime), cached per version in
 * ~/.cache/n8n-nodes-whatsapp-commerce/ (or N8N_SCANNER_DIR). SCANNER_VERSION picks the version (default: the
 * pinned one below; `latest` installs into a throwaway folder every run).
 */
const { execFileSync } = require('child_process');
const { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } = require('fs');
const { homedir, tmpdir } = require('os');
const { join } = require('path');
const { pathToFileURL } = require('url');

const { cleanEnv } = require('./n8n-runtime');

const PINNED_SCANNER_VERSION = '0.32.0';
const root = join(__dirname, '..');

function log(message) {
	console.log(`[scan] ${message}`);
}

/** Installs the scanner (scripts off) unless a proven install of that version is cached; returns its entry file. */
function installScanner(version) {
	const throwaway = version === 'latest';
	const dir = throwaway
		? mkdtempSync(join(tmpdir(), 'n8n-scanner-'))
		: process.env.N8N_SCANNER_DIR || join(homedir(), '.cache', 'n8n-nodes-whatsapp-commerce', `scan-community-package-${version}`);
	const entry = join(dir, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');
	const marker = join(dir, '.installed');
	if (!throwaway && existsSync(marker) && existsSync(entry)) return { dir, entry, throwaway };
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'n8n-scanner-runner', private: true }));
	log(`installing @n8n/scan-community-package@${version} into ${dir} (scripts off)...`);
	execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `@n8n/scan-community-package@${version}`], {
		cwd: dir,
		stdio: ['ignore', 'inherit', 'inherit'],
		// npm test exports the project's npm config to its children; the scanner install must not inherit it.
		env: cleanEnv(),
	});
	if (!existsSync(entry)) throw new Error(`the scanner package has no ${entry}; its layout changed`);
	if (!throwaway) writeFileSync(marker, `${new Date().toISOString()} @n8n/scan-community-package@${version}\n`);
	return { dir, entry, throwaway };
}

/** Files a leg lints: the scanner's own glob call, so the count printed is what ESLint saw. */
function filesOf(scannerDir, cwd, patterns) {
	const glob = require(join(scannerDir, 'node_modules', 'fast-glob'));
	return glob.sync(patterns, { cwd, ignore: ['node_modules/**', '**/package-lock.json'] });
}

function packTarball() {
	const work = mkdtempSync(join(tmpdir(), 'wa-commerce-scan-'));
	// --ignore-scripts: packing must not run lifecycle hooks; the build ran before this step.
	const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8', env: cleanEnv() });
	const [packed] = JSON.parse(out);
	const unpacked = join(work, 'package');
	mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', join(work, packed.filename), '-C', unpacked, '--strip-components=1']);
	return { work, unpacked, files: packed.files.map((f) => f.path).sort() };
}

/** The tarball must hold only the compiled package and its three top-level files. */
function checkShippedFiles(files) {
	const allowedTop = new Set(['README.md', 'LICENSE', 'package.json']);
	const shipped = /^dist\/(index\.(js|d\.ts|js\.map)|(nodes|credentials)\/.+\.(js|d\.ts|js\.map|svg|png|json))$/;
	const stray = files.filter((file) => !allowedTop.has(file) && !shipped.test(file));
	const missing = [...allowedTop].filter((file) => !files.includes(file));
	if (stray.length || missing.length) {
		throw new Error(`npm pack contents are wrong: ${stray.length ? `unexpected ${stray.join(', ')}` : ''}${missing.length ? ` missing ${missing.join(', ')}` : ''}`);
	}
	if (!files.some((file) => /^dist\/nodes\/.+\.node\.js$/.test(file))) throw new Error('npm pack holds no compiled node (did the build run?)');
}

async function main() {
	if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
	const version = process.env.SCANNER_VERSION || PINNED_SCANNER_VERSION;
	const scanner = installScanner(version);
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scanner.entry).href);
	const tarball = packTarball();
	try {
		checkShippedFiles(tarball.files);
		log(`npm pack: ${tarball.files.length} files, only dist/, README.md, LICENSE, package.json`);
		const legs = [
			{ name: 'source', dir: root, patterns: SOURCE_FILE_PATTERNS },
			{ name: 'tarball', dir: tarball.unpacked, patterns: ['**/*.js', 'package.json'] },
		];
		let failed = false;
		for (const leg of legs) {
			const files = filesOf(scanner.dir, leg.dir, leg.patterns);
			const result = await analyzePackage(leg.dir, leg.patterns);
			const where = leg.dir === root ? 'this checkout' : 'the npm pack tarball';
			if (result.passed && files.length > 0) {
				log(`${leg.name} leg (${leg.patterns.join(', ')} in ${where}): ${files.length} files, passed`);
			} else {
				failed = true;
				log(`${leg.name} leg (${where}): FAILED: ${files.length === 0 ? 'no files to lint' : result.message}`);
				if (result.details) console.log(result.details);
			}
		}
		if (failed) throw new Error(`n8n's scanner (@n8n/scan-community-package@${version}) refused the package`);
		log(`@n8n/scan-community-package@${version}: both legs passed`);
	} finally {
		rmSync(tarball.work, { recursive: true, force: true });
		if (scanner.throwaway) rmSync(scanner.dir, { recursive: true, force: true });
	}
}

module.exports = { checkShippedFiles };

if (require.main === module) {
	main().catch((error) => {
		console.error(`[scan] ${error.message}`);
		process.exit(1);
	});
}
