/**
 * The two services n8n's queue mode needs besides n8n itself, from Debian's own packages, each run as the
 * project's OWN instance (own data directory, own port, loopback only), never the system services:
 * - PostgreSQL: a private cluster (initdb) started with pg_ctl, stopped with `pg_ctl stop`;
 * - Redis: a redis-server without persistence, stopped with its SHUTDOWN command.
 * Facts (versions, flags) are in ../shared/spec/n8n-queue-mode.md.
 *
 * `ensureDebianPackages()` installs `postgresql` and `redis-server` with apt-get when they are missing (as root:
 * CI runs as root on a fresh machine). While it installs, the packages must not start their system services:
 * Debian asks /usr/sbin/policy-rc.d first, so one that says "no" (exit 101) is put in place for the install
 * when the machine has none.
 */
const { execFileSync } = require('child_process');
const { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('fs');
const net = require('net');
const { join } = require('path');

const POLICY_RC = '/usr/sbin/policy-rc.d';

function log(message) {
	console.log(`[queue-services] ${message}`);
}

/** The newest installed PostgreSQL server's bin directory (Debian: /usr/lib/postgresql/<major>/bin), or undefined. */
function postgresBinDir() {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const majors = readdirSync(base)
		.filter((name) => existsSync(join(base, name, 'bin', 'pg_ctl')) && existsSync(join(base, name, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length ? join(base, majors[0], 'bin') : undefined;
}

function which(binary) {
	for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/sbin'])) {
		if (dir && existsSync(join(dir, binary))) return join(dir, binary);
	}
	return undefined;
}

/** How to tell that a Debian package the tests need is installed. */
const PRESENT = {
	postgresql: () => Boolean(postgresBinDir()),
	'redis-server': () => Boolean(which('redis-server') && which('redis-cli')),
	chromium: () => Boolean(which('chromium')),
};

function missingPackages(wanted = ['postgresql', 'redis-server']) {
	return wanted.filter((name) => !PRESENT[name]());
}

/** Installs the wanted Debian packages (default: queue mode's postgresql and redis-server) when missing. */
function ensureDebianPackages(wanted = ['postgresql', 'redis-server']) {
	const missing = missingPackages(wanted);
	if (missing.length === 0) return;
	if (typeof process.getuid === 'function' && process.getuid() !== 0) {
		throw new Error(`the tests need Debian's ${missing.join(' and ')}; install them once: sudo apt-get install -y ${missing.join(' ')}`);
	}
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const ownPolicy = !existsSync(POLICY_RC);
	if (ownPolicy) writeFileSync(POLICY_RC, '#!/bin/sh\n# written by n8n-nodes-whatsapp-commerce while installing packages: start no services\nexit 101\n', { mode: 0o755 });
	try {
		log(`installing ${missing.join(', ')} (apt-get update, then apt-get install -y)...`);
		execFileSync('apt-get', ['update'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
		execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, stdio: ['ignore', 'inherit', 'inherit'] });
	} finally {
		if (ownPolicy) rmSync(POLICY_RC, { force: true });
	}
	const still = missingPackages(wanted);
	if (still.length) throw new Error(`apt-get installed nothing usable for ${still.join(', ')}`);
}

/** A TCP port nobody listens on now (and, with `pair`, its successor too: n8n's task broker takes port + 1). */
async function freePort({ pair = false } = {}) {
	const listen = (port) =>
		new Promise((resolve) => {
			const server = net.createServer();
			server.once('error', () => resolve(undefined));
			server.listen(port, '127.0.0.1', () => {
				const bound = server.address().port;
				server.close(() => resolve(bound));
			});
		});
	for (let attempt = 0; attempt < 50; attempt += 1) {
		const port = await listen(0);
		if (!port || port >= 65535) continue;
		if (!pair || (await listen(port + 1))) return port;
	}
	throw new Error('no free port');
}

/**
 * A private PostgreSQL cluster in `dir`. Postgres refuses to run as root: as root every command runs as the
 * Debian `postgres` user (runuser), which then owns `dir`; otherwise as the current user.
 */
class PostgresCluster {
	/** @param {{ dir: string, port: number, maxConnections?: number }} options */
	constructor(options) {
		this.dir = options.dir;
		this.dataDir = join(options.dir, 'data');
		this.logFile = join(options.dir, 'postgres.log');
		this.port = options.port;
		this.maxConnections = options.maxConnections ?? 200;
		this.bin = postgresBinDir();
		this.asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
		this.running = false;
	}

	run(binary, args) {
		const file = join(this.bin, binary);
		const [command, argv] = this.asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
		return execFileSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: this.dir, timeout: 120000 });
	}

	async start() {
		if (!this.bin) throw new Error('PostgreSQL is not installed (run ensureDebianPackages first)');
		mkdirSync(this.dir, { recursive: true });
		if (this.asRoot) {
			const id = (name) => Number(execFileSync('id', [name, 'postgres'], { encoding: 'utf8' }).trim());
			chownSync(this.dir, id('-u'), id('-g'));
		}
		if (!existsSync(join(this.dataDir, 'PG_VERSION'))) {
			this.run('initdb', ['-D', this.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
		}
		// Own socket directory (the data dir), loopback only: nothing here meets the system cluster's /var/run socket or port.
		const options = `-p ${this.port} -k ${this.dataDir} -c listen_addresses=127.0.0.1 -c max_connections=${this.maxConnections}`;
		this.run('pg_ctl', ['-D', this.dataDir, '-l', this.logFile, '-w', '-t', '120', '-o', options, 'start']);
		this.running = true;
		return this;
	}

	/** Creates the `n8n` role and database (idempotent). */
	createDatabase(name = 'n8n', user = 'n8n', password = 'n8n') {
		const psql = (sql) => this.run('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', 'postgres', '-tAc', sql]).trim();
		if (psql(`select 1 from pg_roles where rolname = '${user}'`) !== '1') psql(`create user ${user} with password '${password}'`);
		if (psql(`select 1 from pg_database where datname = '${name}'`) !== '1') psql(`create database ${name} owner ${user}`);
		return { host: '127.0.0.1', port: this.port, database: name, user, password };
	}

	/** Rows of a query as arrays of strings (psql unaligned, tab-separated); for counting executions in tests and benchmarks. */
	query(sql, database = 'n8n') {
		const out = this.run('psql', ['-h', '127.0.0.1', '-p', String(this.port), '-U', 'postgres', '-d', database, '-tA', '-F', '\t', '-c', sql]);
		return out.split('\n').filter((line) => line !== '').map((line) => line.split('\t'));
	}

	stop() {
		if (!this.running) return;
		this.running = false;
		try {
			this.run('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', 'stop']);
		} catch (error) {
			// Already gone (e.g. Ctrl-C reached the postmaster too): pg_ctl says "no server running".
			if (!/no server running|PID file .* does not exist/i.test(`${error.stderr ?? ''}${error.message}`)) throw error;
		}
	}
}

/** A redis-server on its own port and directory, no RDB/AOF files: the queue only lives as long as the stack. */
class RedisServer {
	/** @param {{ dir: string, port: number }} options */
	constructor(options) {
		this.dir = options.dir;
		this.port = options.port;
		this.pidFile = join(options.dir, 'redis.pid');
		this.logFile = join(options.dir, 'redis.log');
		this.running = false;
	}

	async start() {
		mkdirSync(this.dir, { recursive: true });
		const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--daemonize', 'yes', '--dir', this.dir, '--pidfile', this.pidFile, '--logfile', this.logFile, '--save', '', '--appendonly', 'no'];
		execFileSync(which('redis-server'), args, { stdio: ['ignore', 'pipe', 'pipe'] });
		this.running = true;
		const deadline = Date.now() + 30000;
		while (Date.now() < deadline) {
			if ((await this.command('PING').catch(() => '')).startsWith('+PONG')) return this;
			await new Promise((resolve) => setTimeout(resolve, 200));
		}
		throw new Error(`redis-server did not answer PING on port ${this.port}; see ${this.logFile}`);
	}

	/** One inline command over the Redis protocol; resolves with the raw reply. */
	command(text) {
		return new Promise((resolve, reject) => {
			const socket = net.connect(this.port, '127.0.0.1');
			let reply = '';
			socket.setTimeout(5000, () => socket.destroy(new Error('redis timeout')));
			socket.on('connect', () => socket.write(`${text}\r\n`));
			socket.on('data', (chunk) => {
				reply += chunk.toString();
				if (reply.includes('\r\n')) socket.end();
			});
			socket.on('close', () => resolve(reply));
			socket.on('error', reject);
		});
	}

	pid() {
		try {
			return Number(readFileSync(this.pidFile, 'utf8').trim()) || undefined;
		} catch {
			return undefined;
		}
	}

	stop() {
		if (!this.running) return;
		this.running = false;
		try {
			execFileSync(which('redis-cli'), ['-p', String(this.port), 'shutdown', 'nosave'], { stdio: 'ignore', timeout: 15000 });
		} catch {
			// redis-cli reports the dropped connection of a successful SHUTDOWN as an error; make sure it is gone.
			const pid = this.pid();
			if (pid) {
				try {
					process.kill(pid, 'SIGTERM');
				} catch {
					// not running
				}
			}
		}
	}
}

module.exports = { ensureDebianPackages, missingPackages, postgresBinDir, PostgresCluster, RedisServer, freePort };

// `node scripts/queue-services.js`: installs the Debian packages when missing (npm run test:e2e:queue runs this first,
// so a fresh CI machine installs them before jest starts) and prints what queue mode will use.
// `node scripts/queue-services.js chromium` installs Chromium for the browser suite instead.
if (require.main === module && process.argv[2] === 'chromium') {
	ensureDebianPackages(['chromium']);
	log(execFileSync(which('chromium'), ['--version'], { encoding: 'utf8' }).trim());
} else if (require.main === module) {
	ensureDebianPackages();
	const redis = execFileSync(which('redis-server'), ['--version'], { encoding: 'utf8' }).trim();
	const postgres = execFileSync(join(postgresBinDir(), 'postgres'), ['--version'], { encoding: 'utf8' }).trim();
	log(`${postgres}; ${redis}`);
}
