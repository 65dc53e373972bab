/**
 * A loopback HTTP server that plays a remote service (Meta, a gateway) for tests, the sandbox and the
 * benchmarks. It records every request with its raw body, routes by method + path pattern, and can
 * inject faults (status codes, resets, slow answers) ahead of the routes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'http';
import type { AddressInfo } from 'net';

export interface RecordedRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string>;
	rawBody: Buffer;
	/** JSON or form body parsed by content type; undefined when empty. */
	body: unknown;
	/** Epoch ms when the request arrived (for rate measurements). */
	at: number;
	params: Record<string, string>;
}

export interface Reply {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
}

export type Handler = (request: RecordedRequest) => Reply | Promise<Reply>;

/**
 * A fault decides, before routing, what happens to a request: `undefined` lets it through;
 * 'reset' destroys the socket without answering; 'hang' never answers; a Reply answers as given.
 */
export type Fault = (request: RecordedRequest) => Reply | 'reset' | 'hang' | undefined | Promise<Reply | 'reset' | 'hang' | undefined>;

/**
 * A fault that acts after the route ran (the service committed the effect): it sees the real answer and may
 * replace it (e.g. a 500 from a proxy after the object was created) or drop the connection; `undefined` keeps it.
 */
export type AfterFault = (request: RecordedRequest, reply: Reply) => Reply | 'reset' | 'hang' | undefined;

interface Route {
	method: string;
	pattern: RegExp;
	keys: string[];
	handler: Handler;
}

function compile(path: string): { pattern: RegExp; keys: string[] } {
	const keys: string[] = [];
	const source = path
		.split('/')
		.map((segment) => {
			if (segment.startsWith(':')) {
				keys.push(segment.slice(1));
				return '([^/]+)';
			}
			return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
		})
		.join('/');
	return { pattern: new RegExp(`^${source}/?$`), keys };
}

function parseBody(raw: Buffer, contentType: string): unknown {
	if (raw.length === 0) return undefined;
	const text = raw.toString('utf8');
	if (contentType.includes('application/x-www-form-urlencoded')) {
		return Object.fromEntries(new URLSearchParams(text));
	}
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

export class Counterpart {
	readonly requests: RecordedRequest[] = [];
	private readonly routes: Route[] = [];
	private readonly faults: Fault[] = [];
	private readonly afterFaults: AfterFault[] = [];
	private server?: Server;
	private readonly hanging = new Set<ServerResponse>();
	baseUrl = '';

	constructor(readonly name: string) {}

	route(method: string, path: string, handler: Handler): this {
		this.routes.push({ method: method.toUpperCase(), ...compile(path), handler });
		return this;
	}

	/** Adds a fault checked before the routes, in order; returns a function that removes it. */
	inject(fault: Fault): () => void {
		this.faults.push(fault);
		return () => {
			const index = this.faults.indexOf(fault);
			if (index >= 0) this.faults.splice(index, 1);
		};
	}

	/** Adds a fault checked after the route answered (see AfterFault); returns a function that removes it. */
	injectAfter(fault: AfterFault): () => void {
		this.afterFaults.push(fault);
		return () => {
			const index = this.afterFaults.indexOf(fault);
			if (index >= 0) this.afterFaults.splice(index, 1);
		};
	}

	clearFaults(): void {
		this.faults.length = 0;
		this.afterFaults.length = 0;
	}

	reset(): void {
		this.requests.length = 0;
		this.clearFaults();
	}

	/** Requests whose method and path match (path as a string prefix or a RegExp). */
	received(method?: string, path?: string | RegExp): RecordedRequest[] {
		return this.requests.filter(
			(r) =>
				(!method || r.method === method.toUpperCase()) &&
				(path === undefined || (typeof path === 'string' ? r.path === path : path.test(r.path))),
		);
	}

	async start(port = 0, host = '127.0.0.1'): Promise<string> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 1000;
		await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
		const address = this.server.address() as AddressInfo;
		this.baseUrl = `http://${host}:${address.port}`;
		return this.baseUrl;
	}

	async stop(): Promise<void> {
		for (const res of this.hanging) res.destroy();
		this.hanging.clear();
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
		this.server = undefined;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const rawBody = Buffer.concat(chunks);
		const url = new URL(req.url ?? '/', 'http://counterpart.local');
		const headers: Record<string, string> = {};
		for (const [key, value] of Object.entries(req.headers)) {
			headers[key] = Array.isArray(value) ? value.join(', ') : String(value ?? '');
		}
		const request: RecordedRequest = {
			method: (req.method ?? 'GET').toUpperCase(),
			path: decodeURIComponent(url.pathname),
			query: Object.fromEntries(url.searchParams),
			headers,
			rawBody,
			body: parseBody(rawBody, headers['content-type'] ?? ''),
			at: Date.now(),
			params: {},
		};
		this.requests.push(request);
		try {
			for (const fault of this.faults) {
				const decision = await fault(request);
				if (decision === undefined) continue;
				if (decision === 'reset') {
					req.socket.destroy();
					return;
				}
				if (decision === 'hang') {
					this.hanging.add(res);
					return;
				}
				this.send(res, decision);
				return;
			}
			const route = this.routes.find((r) => r.method === request.method && r.pattern.test(request.path));
			if (!route) {
				this.send(res, { status: 404, body: { error: { message: `${this.name}: no route ${request.method} ${request.path}` } } });
				return;
			}
			const match = route.pattern.exec(request.path)!;
			route.keys.forEach((key, i) => (request.params[key] = match[i + 1]));
			let reply: Reply | 'reset' | 'hang' = await route.handler(request);
			for (const fault of this.afterFaults) {
				const decision = fault(request, reply);
				if (decision !== undefined) {
					reply = decision;
					break;
				}
			}
			if (reply === 'reset') {
				req.socket.destroy();
				return;
			}
			if (reply === 'hang') {
				this.hanging.add(res);
				return;
			}
			this.send(res, reply);
		} catch (error) {
			this.send(res, { status: 500, body: { error: { message: `${this.name} counterpart crashed: ${(error as Error).message}` } } });
		}
	}

	private send(res: ServerResponse, reply: Reply): void {
		const isText = typeof reply.body === 'string';
		const payload = reply.body === undefined ? '' : isText ? (reply.body as string) : JSON.stringify(reply.body);
		res.writeHead(reply.status, {
			'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json',
			...(reply.headers ?? {}),
		});
		res.end(payload);
	}
}

/** Reads the Basic auth pair of a request, or undefined. */
export function basicAuth(request: RecordedRequest): { user: string; password: string } | undefined {
	const header = request.headers.authorization ?? '';
	if (!header.startsWith('Basic ')) return undefined;
	const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function bearerToken(request: RecordedRequest): string | undefined {
	const header = request.headers.authorization ?? '';
	return header.startsWith('Bearer ') ? header.slice(7) : undefined;
}
