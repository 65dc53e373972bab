/**
 * Every node and credential type the package declares in package.json's `n8n` block, loaded from the
 * TypeScript sources (the same list n8n loads from dist/), so tests cannot drift from what ships.
 */
import type { ICredentialType, INodeType } from 'n8n-workflow';
import { join } from 'path';

import packageJson from '../../package.json';

export const PACKAGE = packageJson.name;
const ROOT = join(__dirname, '..', '..');

function loadClasses<T>(paths: string[]): Record<string, T> {
	const out: Record<string, T> = {};
	for (const distPath of paths) {
		const source = join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const module = require(source) as Record<string, new () => T>;
		for (const Exported of Object.values(module)) {
			if (typeof Exported !== 'function') continue;
			const instance = new Exported() as T & { name?: string; description?: { name: string } };
			const name = instance.description?.name ?? instance.name;
			if (name) out[name] = instance;
		}
	}
	return out;
}

export function allNodeTypes(): Record<string, INodeType> {
	const byName = loadClasses<INodeType>(packageJson.n8n.nodes as string[]);
	return Object.fromEntries(Object.entries(byName).map(([name, type]) => [`${PACKAGE}.${name}`, type]));
}

export function allCredentialTypes(): Record<string, ICredentialType> {
	return loadClasses<ICredentialType>(packageJson.n8n.credentials as string[]);
}
