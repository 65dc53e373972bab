/**
 * Serves the chat view: the page and its script and stylesheet (plain files shipped in sandbox/chat/public, no
 * build step, no CDN) and a server-sent event stream that says when anything the page shows has changed (the page
 * then reloads `GET /_sandbox/chat/state`). Everything the page does goes through the JSON control API.
 */
import { readFile } from 'fs/promises';
import type { IncomingMessage, ServerResponse } from 'http';
import { join } from 'path';

import type { Sandbox } from '../sandbox';
import { chatState, chatVersion } from './state';

const PUBLIC = join(__dirname, 'public');
const FILES: Record<string, { file: string; type: string }> = {
	'/_sandbox/chat': { file: 'index.html', type: 'text/html; charset=utf-8' },
	'/_sandbox/chat/': { file: 'index.html', type: 'text/html; charset=utf-8' },
	'/_sandbox/chat/chat.js': { file: 'chat.js', type: 'text/javascript; charset=utf-8' },
	'/_sandbox/chat/chat.css': { file: 'chat.css', type: 'text/css; charset=utf-8' },
};

/** Open event streams per sandbox, and the one timer that watches for changes while any is open. */
const streams = new WeakMap<Sandbox, { clients: Set<ServerResponse>; timer?: NodeJS.Timeout; version: string }>();

function watch(sandbox: Sandbox, res: ServerResponse): void {
	const entry = streams.get(sandbox) ?? { clients: new Set<ServerResponse>(), version: '' };
	streams.set(sandbox, entry);
	entry.clients.add(res);
	res.on('close', () => {
		entry.clients.delete(res);
		if (entry.clients.size === 0 && entry.timer) {
			clearInterval(entry.timer);
			entry.timer = undefined;
		}
	});
	if (entry.timer) return;
	entry.timer = setInterval(() => {
		// The execution list is refreshed by building the state (at most once a second).
		void chatState(sandbox).then(() => {
			const version = chatVersion(sandbox);
			if (version === entry.version) return;
			entry.version = version;
			for (const client of entry.clients) client.write(`event: change\ndata: ${JSON.stringify({ version })}\n\n`);
		}).catch(() => undefined);
	}, 400);
	entry.timer.unref();
}

/** Answers the chat's own requests; false for every other path (the JSON control API handles those). */
export async function serveChat(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
	const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
	if ((req.method ?? 'GET').toUpperCase() !== 'GET') return false;
	if (path === '/_sandbox/chat/events') {
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
		res.write(`event: change\ndata: ${JSON.stringify({ version: chatVersion(sandbox) })}\n\n`);
		watch(sandbox, res);
		return true;
	}
	const served = FILES[path];
	if (!served) return false;
	const content = await readFile(join(PUBLIC, served.file));
	res.writeHead(200, { 'content-type': served.type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
	res.end(content);
	return true;
}
