/** Shared helpers for the benchmarks: the out-of-process counterpart, n8n-nodes-base loading, stats. */
import { type ChildProcess, spawn } from 'child_process';
import { existsSync } from 'fs';
import { join } from 'path';
import { createInterface } from 'readline';

export const PHONE = '106540352242922';
export const TOKEN = 'EAAG-test-token';
export const WABA = '102290129340398';

export function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export { peakInWindow } from '../test/harness/rate';

export class RemoteMeta {
	private constructor(
		readonly baseUrl: string,
		private readonly child: ChildProcess,
	) {}

	static async start(): Promise<RemoteMeta> {
		const child = spawn(process.execPath, ['-r', join(__dirname, 'register.js'), join(__dirname, 'metaServer.ts')], {
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		const line = await new Promise<string>((resolve, reject) => {
			const rl = createInterface({ input: child.stdout! });
			rl.once('line', resolve);
			child.once('exit', (code) => reject(new Error(`counterpart exited with ${code}`)));
		});
		return new RemoteMeta((JSON.parse(line) as { baseUrl: string }).baseUrl, child);
	}

	async reset(rate: number, latencyMs: number): Promise<void> {
		await fetch(`${this.baseUrl}/__bench/reset?rate=${rate}&latency=${latencyMs}`, { method: 'POST' });
	}

	async stats(): Promise<{ attempts: number[]; attemptSenders: string[]; accepted: number[]; acceptedRecipients: string[]; refused: number; cpuMicros: number }> {
		return (await (await fetch(`${this.baseUrl}/__bench/stats`)).json()) as never;
	}

	stop(): void {
		this.child.kill('SIGTERM');
	}
}

/** Where n8n-nodes-base is installed: the provisioned n8n, else the prewarmed copy. */
export function findNodesBase(): string | undefined {
	const candidates = [
		process.env.N8N_NODES_BASE,
		join(process.env.HOME ?? '', '.cache/n8n-nodes-whatsapp-commerce/n8n-2.41.1/node_modules/n8n-nodes-base'),
		join(__dirname, '..', '.n8n-runtime/node_modules/n8n-nodes-base'),
		'/tmp/n8n-prewarm/node_modules/n8n-nodes-base',
	].filter((p): p is string => Boolean(p));
	return candidates.find((p) => existsSync(join(p, 'dist/nodes/WhatsApp/WhatsApp.node.js')));
}

export function loadBuiltin<T>(base: string, relative: string, exportName: string): T {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const module = require(join(base, 'dist', relative)) as Record<string, new () => T>;
	return new module[exportName]();
}

export function formatTable(header: string[], rows: Array<Array<string | number>>): string {
	const cells = [header, ...rows.map((r) => r.map(String))];
	const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
	const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
	return [line(cells[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n');
}
