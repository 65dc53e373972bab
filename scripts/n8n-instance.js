/**
 * One real n8n process for `npm start` and the e2e suites: a user folder with this package installed as a
 * community package, credentials and workflows imported through n8n's own CLI (offline, before the server
 * starts), workflows published so their triggers register at start-up, then `n8n start` on Node 24.
 * The REST API (owner cookie) reads executions back.
 * Queue mode (scripts/queue-stack.js) runs several of these over one user folder: `command` 'webhook' or
 * 'worker' instead of 'start'; `port` is then the process's HTTP port (a worker's health check port).
 */
const { execFile, spawn } = require('child_process');
const { mkdirSync, writeFileSync, readFileSync, existsSync, openSync, closeSync } = require('fs');
const { join } = require('path');
const { promisify } = require('util');

const { runtime } = require('./n8n-runtime');

const run = promisify(execFile);
const OWNER = { email: 'owner@sandbox.local', firstName: 'Sandbox', lastName: 'Owner', password: 'Sandbox-Owner-1' };

class N8nInstance {
	/**
	 * @param {{ userFolder: string, port: number, runtimeDir?: string, env?: Record<string,string>, log?: (m: string) => void,
	 *   command?: 'start' | 'webhook' | 'worker', args?: string[], name?: string }} options
	 */
	constructor(options) {
		this.userFolder = options.userFolder;
		this.command = options.command ?? 'start';
		this.args = options.args ?? [];
		this.name = options.name ?? 'n8n';
		this.logFile = join(this.userFolder, `${this.name}.log`);
		this.port = options.port;
		this.url = `http://localhost:${options.port}`;
		this.paths = runtime(options.runtimeDir);
		this.extraEnv = options.env ?? {};
		this.log = options.log ?? ((message) => console.log(`[n8n] ${message}`));
		this.cookie = '';
		mkdirSync(this.userFolder, { recursive: true });
	}

	env() {
		return {
			...process.env,
			PATH: `${join(this.paths.node24Dir, 'bin')}:${process.env.PATH}`,
			// jest sets NODE_ENV=test, under which `n8n start` exits at once without a word.
			NODE_ENV: 'production',
			N8N_USER_FOLDER: this.userFolder,
			N8N_PORT: String(this.port),
			// A worker serves /healthz on this port instead of N8N_PORT (used only when QUEUE_HEALTH_CHECK_ACTIVE=true).
			QUEUE_HEALTH_CHECK_PORT: String(this.port),
			// The task broker's default port collides between instances (see ../shared/spec/n8n-runtime.md).
			N8N_RUNNERS_BROKER_PORT: String(this.port + 1),
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_SECURE_COOKIE: 'false',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			N8N_LOG_LEVEL: 'warn',
			DB_SQLITE_POOL_SIZE: '1',
			...this.extraEnv,
		};
	}

	async cli(...args) {
		const { stdout } = await run(this.paths.node24, [this.paths.n8nBin, ...args], { env: this.env(), maxBuffer: 64 * 1024 * 1024 });
		return stdout;
	}

	/** @param {Array<{id: string, name: string, type: string, data: object}>} credentials */
	async importCredentials(credentials) {
		const file = join(this.userFolder, 'sandbox-credentials.json');
		writeFileSync(file, JSON.stringify(credentials, null, 2));
		await this.cli('import:credentials', `--input=${file}`);
	}

	/** Imports a workflow JSON file and publishes it (so its triggers register when the server starts). */
	async importWorkflow(file, { publish = true } = {}) {
		const workflow = JSON.parse(readFileSync(file, 'utf8'));
		await this.cli('import:workflow', `--input=${file}`);
		if (publish) await this.cli('publish:workflow', `--id=${workflow.id}`);
		return workflow;
	}

	async start({ timeoutMs = 180000 } = {}) {
		// stop() may come first (a signal during `npm start`'s set-up): never start n8n after it.
		if (this.stopRequested) throw new Error('n8n was stopped before it started');
		const logFile = this.logFile;
		const out = openSync(logFile, 'a');
		this.process = spawn(this.paths.node24, [this.paths.n8nBin, this.command, ...this.args], { env: this.env(), stdio: ['ignore', out, out], detached: false });
		closeSync(out);
		const started = Date.now();
		while (Date.now() - started < timeoutMs) {
			if (this.process.exitCode !== null) throw new Error(`n8n exited with ${this.process.exitCode}; see ${logFile}`);
			try {
				const res = await fetch(`${this.url}/healthz/readiness`);
				if (res.ok) return this;
			} catch {
				// not listening yet
			}
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		throw new Error(`n8n did not become ready within ${timeoutMs} ms; see ${logFile}`);
	}

	/** What this process wrote to its log so far (all its runs: the log is appended to on restart). */
	readLog() {
		return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8') : '';
	}

	async stop() {
		// Stopped before it ever started (a signal during set-up): remember it, so start() refuses. A restart
		// (stop, then start again) is not affected.
		if (!this.process) {
			this.stopRequested = true;
			return;
		}
		if (this.process.exitCode !== null || this.process.signalCode !== null) return;
		const exited = new Promise((resolve) => this.process.once('exit', resolve));
		this.process.kill('SIGTERM');
		const timer = setTimeout(() => this.process.kill('SIGKILL'), 20000);
		await exited;
		clearTimeout(timer);
	}

	/** Creates the owner on first use, else logs in; keeps the auth cookie for `rest`. */
	async login() {
		let res = await fetch(`${this.url}/rest/owner/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(OWNER) });
		if (!res.ok) {
			res = await fetch(`${this.url}/rest/login`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
			});
		}
		if (!res.ok) throw new Error(`n8n login failed: ${res.status} ${await res.text()}`);
		const cookie = (res.headers.getSetCookie?.() ?? []).find((c) => c.startsWith('n8n-auth='));
		if (!cookie) throw new Error('n8n login returned no n8n-auth cookie');
		this.cookie = cookie.split(';')[0];
		return OWNER;
	}

	/** GET with the owner cookie on any path (e.g. /types/nodes.json). */
	async get(path) {
		const res = await fetch(`${this.url}${path}`, { headers: { cookie: this.cookie, 'browser-id': 'e2e' } });
		if (!res.ok) throw new Error(`n8n GET ${path}: ${res.status}`);
		return res.json();
	}

	async rest(method, path, body) {
		const res = await fetch(`${this.url}/rest${path}`, {
			method,
			headers: { cookie: this.cookie, 'content-type': 'application/json', 'browser-id': 'e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		if (!res.ok) throw new Error(`n8n ${method} ${path}: ${res.status} ${text.slice(0, 500)}`);
		return JSON.parse(text).data;
	}
}

function exists(file) {
	return existsSync(file);
}

module.exports = { N8nInstance, OWNER, exists };
