/**
 * The stack in n8n's queue mode (how merchants scale out), for `npm run start:queue`, the queue e2e suite and the
 * queue benchmark: the project's own PostgreSQL cluster and Redis (scripts/queue-services.js), then n8n 2.41.1 as
 * - main (editor, REST, trigger registration; production webhooks disabled),
 * - one webhook process (optionally a second one) serving /webhook/*, the URL the triggers register (WEBHOOK_URL),
 * - two workers (concurrency 10) running the executions taken from the Bull queue in Redis,
 * all over ONE user folder (the package installed once) and one Postgres database; the sandbox delivers to the
 * (first) webhook process. The environment is the verified recipe of ../shared/spec/n8n-queue-mode.md.
 *
 * Every process gets its own ports on this host: HTTP (a worker's health check) P and task broker P + 1.
 * Teardown stops the n8n processes (SIGTERM), then Postgres (`pg_ctl stop`) and Redis (SHUTDOWN); an exit hook
 * does the same if the owner of the stack exits without stopping it.
 */
require('../sandbox/register.js');
const { chmodSync, mkdirSync, mkdtempSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');

const { N8nInstance } = require('./n8n-instance');
const { ensureDebianPackages, freePort, PostgresCluster, RedisServer } = require('./queue-services');
const { ensureRuntime, prepareUserFolder, startSandbox, waitForActivation } = require('./stack');

/**
 * Port layout from a base (for `npm run start:queue`, stable URLs), or all free random ports (tests).
 * @returns {Promise<{ main: number, webhooks: number[], workers: number[], postgres: number, redis: number }>}
 */
async function choosePorts({ basePort, webhookProcesses, workers }) {
	if (basePort) {
		return {
			main: basePort,
			webhooks: Array.from({ length: webhookProcesses }, (_, i) => basePort + 10 + 2 * i),
			workers: Array.from({ length: workers }, (_, i) => basePort + 20 + 2 * i),
			postgres: basePort + 40,
			redis: basePort + 41,
		};
	}
	const pair = () => freePort({ pair: true });
	const ports = { main: await pair(), webhooks: [], workers: [], postgres: await freePort(), redis: await freePort() };
	for (let i = 0; i < webhookProcesses; i += 1) ports.webhooks.push(await pair());
	for (let i = 0; i < workers; i += 1) ports.workers.push(await pair());
	const all = [ports.main, ...ports.webhooks, ...ports.workers].flatMap((p) => [p, p + 1]).concat([ports.postgres, ports.redis]);
	// Random picks can collide with each other's "+ 1"; pick again in that (rare) case.
	return new Set(all).size === all.length ? ports : choosePorts({ basePort, webhookProcesses, workers });
}

class QueueStack {
	/**
	 * @param {{ dir?: string, basePort?: number, sandboxPort?: number, webhookProcesses?: 1 | 2, workers?: number,
	 *   concurrency?: number, build?: boolean, encryptionKey?: string, keep?: boolean, log?: (m: string) => void }} options
	 */
	constructor(options = {}) {
		this.options = { webhookProcesses: 1, workers: 2, concurrency: 10, build: true, ...options };
		this.log = options.log ?? ((message) => console.log(`[queue-stack] ${message}`));
		this.ownDir = !options.dir;
		this.dir = options.dir ?? mkdtempSync(join(tmpdir(), 'wa-commerce-queue-'));
		// The postgres user must reach its data directory inside (mkdtemp makes 0700 folders); nobody may list it.
		chmodSync(this.dir, 0o711);
		this.userFolder = join(this.dir, 'user');
		mkdirSync(this.userFolder, { recursive: true });
		this.main = undefined;
		this.webhooks = [];
		this.workers = [];
		this.exitHook = () => this.stopSync();
	}

	/** Every n8n process, main first. */
	n8nProcesses() {
		return [this.main, ...this.webhooks, ...this.workers].filter(Boolean);
	}

	/** Where production webhooks are served: the first webhook process (the URL triggers register). */
	get webhookUrl() {
		return this.webhooks[0].url;
	}

	get webhookUrls() {
		return this.webhooks.map((w) => w.url);
	}

	/** The environment every n8n process and the CLI share (spec: "Environment shared by every n8n process"). */
	sharedEnv(ports, database) {
		return {
			N8N_ENCRYPTION_KEY: this.options.encryptionKey ?? 'wa-commerce-sandbox-key',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(ports.redis),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: database.host,
			DB_POSTGRESDB_PORT: String(database.port),
			DB_POSTGRESDB_DATABASE: database.database,
			DB_POSTGRESDB_USER: database.user,
			DB_POSTGRESDB_PASSWORD: database.password,
			// The default pool (2) timed out pinging the database under 200 simultaneous webhooks.
			DB_POSTGRESDB_POOL_SIZE: '10',
			WEBHOOK_URL: `http://localhost:${ports.webhooks[0]}/`,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			// "Enqueued execution N" (webhook process) and "Worker started execution N" (workers) are info lines:
			// they are the evidence of where each execution ran.
			N8N_LOG_LEVEL: 'info',
		};
	}

	async start() {
		const { webhookProcesses, workers, concurrency } = this.options;
		process.once('exit', this.exitHook);
		try {
			ensureDebianPackages();
			const runtimeDir = ensureRuntime();
			const ports = await choosePorts({ basePort: this.options.basePort, webhookProcesses, workers });
			this.ports = ports;
			this.postgres = new PostgresCluster({ dir: join(this.dir, 'postgres'), port: ports.postgres });
			this.redis = new RedisServer({ dir: join(this.dir, 'redis'), port: ports.redis });
			this.log(`PostgreSQL (own cluster) on 127.0.0.1:${ports.postgres}, Redis on 127.0.0.1:${ports.redis}, in ${this.dir}`);
			await this.postgres.start();
			const database = this.postgres.createDatabase();
			await this.redis.start();

			const env = this.sharedEnv(ports, database);
			const instance = (name, command, port, extra = {}, args = []) =>
				new N8nInstance({ userFolder: this.userFolder, port, runtimeDir, name, command, args, env: { ...env, ...extra }, log: this.log });
			// Main serves the editor and registers triggers; production webhooks are the webhook processes' job.
			this.main = instance('n8n-main', 'start', ports.main, { N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' });
			this.webhooks = ports.webhooks.map((port, i) => instance(`n8n-webhook-${i + 1}`, 'webhook', port));
			this.workers = ports.workers.map((port, i) => instance(`n8n-worker-${i + 1}`, 'worker', port, {}, [`--concurrency=${concurrency}`]));

			this.sandbox = await startSandbox(this.webhookUrl, this.options.sandboxPort ?? 0);
			this.log(`sandbox control API at ${this.sandbox.controlUrl}/_sandbox (webhooks to ${this.webhookUrl})`);
			// The CLI runs before any server, so main's ports are free for it (its own task broker port included).
			const prepared = await prepareUserFolder(this.main, this.sandbox, { build: this.options.build !== false, log: this.log });
			this.workflows = prepared.workflows;
			/** Header Auth the examples' ERP webhooks require (`erpAuth.headers`). */
			this.erpAuth = prepared.erpAuth;
			if (this.stopping) throw new Error('queue stack stopped while starting');
			this.log(`starting n8n main ${this.main.url}, ${this.webhooks.length} webhook process(es), ${this.workers.length} workers ...`);
			await this.startN8n({ fresh: true });
			this.log(`queue-mode stack ready: ${this.workflows.length} example workflows active`);
			return this;
		} catch (error) {
			await this.stop().catch(() => undefined);
			throw error;
		}
	}

	/** Starts every n8n process at once; ready when each answers /healthz/readiness and main activated the examples. */
	async startN8n({ fresh }) {
		await Promise.all(this.n8nProcesses().map((n8n) => n8n.start({ timeoutMs: 180000 })));
		await this.main.login();
		await waitForActivation(this.main, this.sandbox, this.workflows, fresh, 180000);
	}

	/** Stops every n8n process (main, webhook processes, workers), then starts them all again; data stays. */
	async restartN8n() {
		await Promise.all(this.n8nProcesses().map((n8n) => n8n.stop()));
		await this.startN8n({ fresh: false });
	}

	/**
	 * Executions each worker started, from its log ("Worker started execution N"): { 'n8n-worker-1': ['12', ...] }.
	 * The evidence that an execution ran on a worker and not in main or a webhook process.
	 */
	executionsByWorker() {
		return Object.fromEntries(this.workers.map((w) => [w.name, [...w.readLog().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1])]));
	}

	async stop() {
		this.stopping = true;
		process.removeListener('exit', this.exitHook);
		await Promise.all(this.n8nProcesses().map((n8n) => n8n.stop().catch(() => undefined)));
		await this.sandbox?.stop().catch(() => undefined);
		this.stopServices();
		if (this.ownDir && !this.options.keep) rmSync(this.dir, { recursive: true, force: true });
	}

	stopServices() {
		try {
			this.redis?.stop();
		} finally {
			this.postgres?.stop();
		}
	}

	/** Last resort when the process exits with the stack up: no awaiting possible, so signal and stop synchronously. */
	stopSync() {
		for (const n8n of this.n8nProcesses()) {
			if (n8n.process && n8n.process.exitCode === null) n8n.process.kill('SIGKILL');
		}
		this.stopServices();
	}
}

/** Starts the queue-mode stack (see QueueStack's options); resolves when every process is ready. */
async function startQueueStack(options) {
	return new QueueStack(options).start();
}

async function stopQueueStack(stack) {
	if (stack) await stack.stop();
}

module.exports = { QueueStack, startQueueStack, stopQueueStack };
