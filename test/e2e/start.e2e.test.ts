/**
 * `npm start` stops cleanly when a script (not a terminal) sends SIGTERM to the npm process alone: npm forwards
 * it to scripts/start.js, which stops n8n and the sandbox and exits. Proven on a temporary n8n user folder and
 * free ports: after the signal, npm exits, n8n's port, its task broker port and the sandbox's ports are closed,
 * and no process of the process group `npm start` ran in remains.
 */
import { spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, rmSync } from 'fs';
import { createServer, connect } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cleanEnv } = require('../../scripts/n8n-runtime.js');

const root = join(__dirname, '..', '..');
const READY_LINE = 'n8n is running with the WhatsApp Commerce nodes';

async function isFree(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const server = createServer();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

/** `count` consecutive free ports (n8n + its broker; the sandbox's control API + five services). */
async function freeBlock(count: number): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt += 1) {
		const base = 20000 + Math.floor(Math.random() * 30000);
		let free = true;
		for (let p = base; p < base + count && free; p += 1) free = await isFree(p);
		if (free) return base;
	}
	throw new Error(`no block of ${count} free ports`);
}

async function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

/** True while any process is left in the process group (kill with signal 0 only checks). */
function groupAlive(pgid: number): boolean {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch {
		return false;
	}
}

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (await check()) return;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`${what} not within ${timeoutMs} ms`);
}

let npm: ChildProcess | undefined;
let folder = '';
let output = '';

afterAll(() => {
	// Whatever happened above, leave nothing running.
	if (npm?.pid && groupAlive(npm.pid)) process.kill(-npm.pid, 'SIGKILL');
	npm?.stdout?.destroy();
	npm?.stderr?.destroy();
	if (folder) rmSync(folder, { recursive: true, force: true });
});

it('SIGTERM sent to the npm process stops n8n and the sandbox, leaving no process and no open port', async () => {
	folder = mkdtempSync(join(tmpdir(), 'wa-commerce-start-'));
	const n8nPort = await freeBlock(2);
	const sandboxPort = await freeBlock(6);
	// Its own process group (detached), as a service manager would run it; the signal goes to npm's pid only.
	npm = spawn('npm', ['start'], {
		cwd: root,
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: cleanEnv({ N8N_PORT: String(n8nPort), SANDBOX_PORT: String(sandboxPort), SANDBOX_N8N_FOLDER: folder, NODE_ENV: 'production' }),
	});
	npm.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	npm.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm!.once('exit', (code, signal) => resolve({ code, signal })));

	await waitFor(`"${READY_LINE}" from npm start (output so far: ${output.slice(-2000)})`, () => output.includes(READY_LINE) || npm!.exitCode !== null, 8 * 60 * 1000);
	expect(output).toContain(READY_LINE);
	expect(await listening(n8nPort)).toBe(true);
	expect(await listening(sandboxPort)).toBe(true);

	process.kill(npm.pid!, 'SIGTERM');
	let timer: NodeJS.Timeout | undefined;
	const { code, signal } = await Promise.race([
		exited,
		new Promise<never>((_, reject) => {
			timer = setTimeout(() => reject(new Error(`npm did not exit within 90 s of SIGTERM: ${output.slice(-2000)}`)), 90000);
		}),
	]).finally(() => clearTimeout(timer));
	// npm forwarded the signal to start.js (the script is `exec node ...`, so no shell sits in between and dies
	// alone), which stopped everything and exited 0; npm exits with its child's code.
	expect(output).toContain('SIGTERM: stopping n8n and the sandbox...');
	expect(output).toContain('stopped.');
	expect({ code, signal }).toEqual({ code: 0, signal: null });

	await waitFor('every process of the npm start group gone', () => !groupAlive(npm!.pid!), 30000);
	for (const port of [n8nPort, n8nPort + 1, sandboxPort, sandboxPort + 1, sandboxPort + 5]) {
		expect({ port, listening: await listening(port) }).toEqual({ port, listening: false });
	}
}, 12 * 60 * 1000);
