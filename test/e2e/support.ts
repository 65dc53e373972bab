/**
 * What the e2e suites share: a free port pair for n8n, and reading executions back through n8n's REST API.
 */
import { createServer } from 'net';
import { join } from 'path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runtime } = require('../../scripts/n8n-runtime.js');

export type Json = Record<string, any>;

export interface RestClient {
	rest: (method: string, path: string, body?: unknown) => Promise<any>;
	logFile?: string;
}

/** A free port whose successor is free too (n8n's task broker takes port + 1). */
export async function freePortPair(): Promise<number> {
	const listen = (port: number) =>
		new Promise<number | undefined>((resolve) => {
			const server = createServer();
			server.once('error', () => resolve(undefined));
			server.listen(port, '127.0.0.1', () => {
				const bound = (server.address() as { port: number }).port;
				server.close(() => resolve(bound));
			});
		});
	for (let attempt = 0; attempt < 20; attempt += 1) {
		const port = await listen(0);
		if (port && port < 65535 && (await listen(port + 1))) return port;
	}
	throw new Error('no free port pair for n8n');
}

/** POSTs JSON (a webhook call as an ERP makes it); the answer's status and body (JSON, else `{ text }`). */
export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
	const text = await res.text();
	try {
		return { status: res.status, body: JSON.parse(text) as Json };
	} catch {
		return { status: res.status, body: { text } };
	}
}

/** Execution records of a workflow, newest first. */
export async function executions(n8n: RestClient, workflowId: string): Promise<Json[]> {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	return (await n8n.rest('GET', `/executions?filter=${filter}&limit=100`)).results as Json[];
}

/** One execution with its run data parsed (n8n stores it in the `flatted` format). */
export async function executionData(n8n: RestClient, id: string): Promise<Json> {
	const execution = await n8n.rest('GET', `/executions/${id}`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const flatted = require(join(runtime(process.env.N8N_RUNTIME_DIR).modules, 'flatted'));
	return { ...execution, data: flatted.parse(execution.data) };
}

/** Waits (bounded) until no execution of the workflow is new, running or waiting; returns them all. */
export async function settledExecutions(n8n: RestClient, workflowId: string, atLeast = 0, timeoutMs = 60000): Promise<Json[]> {
	const deadline = Date.now() + timeoutMs;
	let seen: Json[] = [];
	while (Date.now() < deadline) {
		seen = await executions(n8n, workflowId);
		const busy = seen.some((e) => ['new', 'running', 'waiting'].includes(e.status));
		if (!busy && seen.length >= atLeast) return seen;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	throw new Error(`workflow ${workflowId}: ${atLeast} settled executions expected, saw ${JSON.stringify(seen.map((e) => e.status))}; log: ${n8n.logFile}`);
}

/** The JSON items a node produced in an execution (first output), or undefined when it did not run. */
export function outputOf(execution: Json, node: string): Json[] | undefined {
	const runs = execution.data.resultData.runData[node];
	if (!runs) return undefined;
	return (runs[0].data?.main?.[0] ?? []).map((item: Json) => item.json);
}

/** How many of the workflow's executions ran `node` with at least one item (i.e. how often its effect happened). */
export async function effectRuns(n8n: RestClient, workflowId: string, node: string): Promise<number> {
	let count = 0;
	for (const execution of await settledExecutions(n8n, workflowId)) {
		const output = outputOf(await executionData(n8n, execution.id), node);
		if (output && output.length > 0) count += 1;
	}
	return count;
}
