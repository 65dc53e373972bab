#!/usr/bin/env node
/**
 * Installs this package into an n8n user folder exactly where Settings > Community nodes would put it:
 * <userFolder>/.n8n/nodes/node_modules/n8n-nodes-whatsapp-commerce, listed in <userFolder>/.n8n/nodes/package.json.
 * n8n then loads the nodes as `n8n-nodes-whatsapp-commerce.<nodeName>`.
 *
 * Offline by design: the package has no runtime dependencies (n8n-workflow is a peer that n8n itself provides),
 * so the `npm pack` tarball is simply unpacked into place; no registry is asked.
 *
 * Usage: node scripts/install-package.js <n8nUserFolder> [--no-build]
 */
const { execFileSync } = require('child_process');
const { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync, mkdtempSync } = require('fs');
const { tmpdir } = require('os');
const { join, resolve } = require('path');

const root = join(__dirname, '..');

function log(message) {
	console.log(`[install-package] ${message}`);
}

function installPackage(userFolder, { build = true } = {}) {
	const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
	if (build) {
		log('building (n8n-node build)...');
		execFileSync('npx', ['n8n-node', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	}
	const work = mkdtempSync(join(tmpdir(), 'wa-commerce-pack-'));
	try {
		// --ignore-scripts: packing must not re-run a build or lifecycle hooks of the repo.
		const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
		const tarball = join(work, JSON.parse(out)[0].filename);
		const nodesDir = join(resolve(userFolder), '.n8n', 'nodes');
		const target = join(nodesDir, 'node_modules', pkg.name);
		rmSync(target, { recursive: true, force: true });
		mkdirSync(target, { recursive: true });
		execFileSync('tar', ['-xzf', tarball, '-C', target, '--strip-components=1']);
		const manifestPath = join(nodesDir, 'package.json');
		const manifest = existsSync(manifestPath)
			? JSON.parse(readFileSync(manifestPath, 'utf8'))
			: { name: 'installed-nodes', private: true, dependencies: {} };
		manifest.dependencies = { ...(manifest.dependencies ?? {}), [pkg.name]: pkg.version };
		writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
		for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			if (!existsSync(join(target, file))) throw new Error(`packed package lacks ${file}: did the build run?`);
		}
		log(`installed ${pkg.name}@${pkg.version} into ${target}`);
		return target;
	} finally {
		rmSync(work, { recursive: true, force: true });
	}
}

module.exports = { installPackage };

if (require.main === module) {
	const args = process.argv.slice(2);
	const folder = args.find((a) => !a.startsWith('--'));
	if (!folder) {
		console.error('usage: node scripts/install-package.js <n8nUserFolder> [--no-build]');
		process.exit(2);
	}
	installPackage(folder, { build: !args.includes('--no-build') });
}
