/**
 * A real n8n 2.x server with this package installed as a community package, wired to the sandbox:
 * used by `npm start` (sandbox/start.ts) and the end-to-end tests (test/e2e/). The runtime (Node 24 + n8n)
 * comes from scripts/n8n-runtime.js; nothing here needs the network.
 */
import { execFileSync, spawn, type ChildProcess } from 'child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import type { Sandbox } from './server';

const runtimeModule = require('../scripts/n8n-runtime.js') as {
	provision(): RuntimePaths;
	runtime(): RuntimePaths;
};

export interface RuntimePaths {
	dir: string;
	node24: string;
	n8nBin: string;
	modules: string;
}

const ROOT = join(__dirname, '..');

export const CREDENTIAL_IDS = { meta: 'waSandboxMeta001', razorpay: 'waSandboxRzp0001', stripe: 'waSandboxStr0001', payu: 'waSandboxPayU001', lyra: 'waSandboxLyra001' };

export function provisionRuntime(): RuntimePaths {
	return runtimeModule.provision();
}

const installer = require('../scripts/install-package.js') as { installPackage(userFolder: string, options?: { build?: boolean }): string };

/** Installs the built package into <userFolder>/.n8n/nodes as n8n's Community nodes screen does (scripts/install-package.js). */
export function installPackage(userFolder: string): string {
	return installer.installPackage(userFolder, { build: false });
}

/** Credentials pointing at the sandbox, in n8n's import format (n8n encrypts them on import). */
export function sandboxCredentials(sandbox: Sandbox): object[] {
	return [
		{
			id: CREDENTIAL_IDS.meta,
			name: 'WhatsApp Commerce (sandbox)',
			type: 'waCommerceMetaApi',
			data: { accessToken: sandbox.meta.state.token, businessAccountId: sandbox.meta.state.wabaId, appSecret: sandbox.meta.appSecret, apiVersion: 'v25.0', baseUrl: sandbox.urls.meta },
		},
		{
			id: CREDENTIAL_IDS.razorpay,
			name: 'Razorpay (sandbox)',
			type: 'waCommerceRazorpayApi',
			data: { keyId: sandbox.razorpay.keyId, keySecret: sandbox.razorpay.keySecret, webhookSecret: 'sandbox-razorpay-webhook-secret', baseUrl: sandbox.urls.razorpay },
		},
		{
			id: CREDENTIAL_IDS.stripe,
			name: 'Stripe (sandbox)',
			type: 'waCommerceStripeApi',
			data: { secretKey: sandbox.stripe.secretKey, webhookSigningSecret: sandbox.stripe.webhookSigningSecret, baseUrl: sandbox.urls.stripe },
		},
		{ id: CREDENTIAL_IDS.payu, name: 'PayU India (sandbox)', type: 'waCommercePayUApi', data: sandbox.payu.credentials() },
		{ id: CREDENTIAL_IDS.lyra, name: 'Lyra / PayZen (sandbox)', type: 'waCommerceLyraApi', data: sandbox.lyra.credentials() },
	];
}

export const EXAMPLES_DIR = join(ROOT, 'examples');

export function exampleIds(): string[] {
	return readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => (JSON.parse(readFileSync(join(EXAMPLES_DIR, file), 'utf8')) as { id: string }).id);
}

export interface N8nServer {
	url: string;
	userFolder: string;
	process: ChildProcess;
	log(): string;
	stop(): Promise<void>;
}

function n8nEnv(userFolder: string, port: number): NodeJS.ProcessEnv {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(port + 1),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_ENCRYPTION_KEY: 'wa-commerce-sandbox-encryption-key',
		N8N_SECURE_COOKIE: 'false',
		N8N_COMMUNITY_PACKAGES_ALLOW_TOOL_USAGE: 'true',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		DB_SQLITE_POOL_SIZE: '2',
		N8N_LOG_LEVEL: 'warn',
	};
}

function cli(paths: RuntimePaths, userFolder: string, port: number, args: string[]): string {
	return execFileSync(paths.node24, [paths.n8nBin, ...args], { env: n8nEnv(userFolder, port), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Imports the sandbox credentials and the example workflows, and publishes (activates) the examples. */
export function importExamples(paths: RuntimePaths, userFolder: string, port: number, sandbox: Sandbox): void {
	const work = mkdtempSync(join(tmpdir(), 'wa-commerce-import-'));
	writeFileSync(join(work, 'credentials.json'), JSON.stringify(sandboxCredentials(sandbox)));
	cli(paths, userFolder, port, ['import:credentials', `--input=${join(work, 'credentials.json')}`]);
	const workflows = join(work, 'workflows');
	cpSync(EXAMPLES_DIR, workflows, { recursive: true });
	cli(paths, userFolder, port, ['import:workflow', '--separate', `--input=${workflows}`]);
	for (const id of exampleIds()) cli(paths, userFolder, port, ['publish:workflow', `--id=${id}`]);
	rmSync(work, { recursive: true, force: true });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60000, everyMs = 250): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	while (Date.now() < deadline) {
		try {
			const value = await probe();
			if (value !== undefined && value !== false) return value as T;
		} catch (error) {
			lastError = error;
		}
		await new Promise((resolve) => setTimeout(resolve, everyMs));
	}
	throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

export async function startN8n(paths: RuntimePaths, userFolder: string, port: number): Promise<N8nServer> {
	const child = spawn(paths.node24, [paths.n8nBin, 'start'], { env: n8nEnv(userFolder, port), stdio: ['ignore', 'pipe', 'pipe'] });
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000)));
	child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20000)));
	const url = `http://127.0.0.1:${port}`;
	const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
	await Promise.race([
		waitFor('n8n /healthz', async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 180000, 500),
		exited.then((code) => {
			throw new Error(`n8n exited with ${code} before it was ready:\n${output}`);
		}),
	]);
	return {
		url,
		userFolder,
		process: child,
		log: () => output,
		async stop() {
			if (child.exitCode !== null) return;
			child.kill('SIGTERM');
			await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15000))]);
			if (child.exitCode === null) child.kill('SIGKILL');
		},
	};
}

/** Creates the instance owner (first start) and returns the session cookie for n8n's REST API. */
export async function ownerSession(url: string): Promise<string> {
	const owner = { email: 'merchant@example.com', firstName: 'Sandbox', lastName: 'Merchant', password: 'Sandbox-Passw0rd' };
	let response = await fetch(`${url}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(owner) });
	if (!response.ok) {
		response = await fetch(`${url}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
	}
	if (!response.ok) throw new Error(`owner setup/login failed: HTTP ${response.status} ${await response.text()}`);
	const cookie = response.headers.get('set-cookie') ?? '';
	return cookie.split(';')[0];
}

export const OWNER = { email: 'merchant@example.com', password: 'Sandbox-Passw0rd' };
