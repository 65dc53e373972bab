/**
 * The two layers that make one delivery run the workflow once (nodes/shared/effects/deliveries.ts). The real
 * proof is test/e2e/exactlyOnce.e2e.test.ts inside n8n; these pin the bounded memory and the serialization.
 */
import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { claimInProcess, claimUnseen, forgetClaims, keepFirstRuns, wholeKeyScheme } from '../../nodes/shared/effects/deliveries';
import type { KeyScheme } from '../../nodes/shared/effects/deliveries';

describe('claimUnseen: the in-process memory of handed-over events', () => {
	const limits = { cap: 5, maxAgeMs: 100 };
	const claim = (scope: string, keys: string[], now: number) => claimUnseen(scope, keys, wholeKeyScheme((k: string) => k), now, limits);

	it('always remembers the last `cap` keys, forgets a whole generation past twice that, and keys past the time limit', () => {
		for (let i = 0; i < 15; i++) expect(claim('cap', [`k${i}`], 1000 + i)).toEqual([`k${i}`]);
		// k10..k14 (current) and k5..k9 (previous) are remembered; k0..k4 went with the oldest generation.
		for (let i = 5; i < 15; i++) expect(claim('cap', [`k${i}`], 1020)).toEqual([]);
		expect(claim('cap', ['k0'], 1020)).toEqual(['k0']); // forgotten past the cap
		expect(claim('cap', ['k14'], 1200)).toEqual(['k14']); // forgotten past the age
		expect(claim('cap', ['k14'], 1201)).toEqual([]);
	});

	it('costs the same per event at its cap as when empty (no walk over forgotten keys)', () => {
		// 200,000 claims through a 5-key memory: each delivery stays O(its events). Counted, not timed.
		let fresh = 0;
		for (let i = 0; i < 200000; i++) fresh += claim('steady', [`s${i}`], 5000).length;
		expect(fresh).toBe(200000);
		expect(claim('steady', ['s199999', 's199995', 's199989'], 5000)).toEqual(['s199989']);
	});

	it('drops repeats inside one batch and keeps the batch order', () => {
		expect(claim('batch', ['a', 'b', 'a', 'c'], 1)).toEqual(['a', 'b', 'c']);
		expect(claim('batch', ['c', 'd'], 2)).toEqual(['d']);
	});

	it('counts the cap over every kind of event of the trigger, each kind in its own table', () => {
		type Event = { space: string; id: string };
		const scheme: KeyScheme<Event> = { space: (e) => e.space, id: (e) => e.id, parts: (key) => ({ space: '*', id: key }) };
		const event = (i: number): Event => ({ space: i % 2 === 0 ? 'msg' : 'status:read', id: `wamid.${i}` });
		for (let i = 0; i < 15; i++) expect(claimUnseen('kinds', [event(i)], scheme, 1000, limits)).toEqual([event(i)]);
		// The last 10 events are remembered in their own kind only; the first 5 went with the oldest generation.
		for (let i = 5; i < 15; i++) expect(claimUnseen('kinds', [event(i)], scheme, 1000, limits)).toEqual([]);
		expect(claimUnseen('kinds', [{ space: 'msg', id: 'wamid.7' }], scheme, 1000, limits)).toHaveLength(1);
		expect(claimUnseen('kinds', [event(0)], scheme, 1000, limits)).toEqual([event(0)]);
	});

	it('keeps each trigger (workflow + node) apart', () => {
		expect(claim('workflow-1', ['order:1'], 1)).toEqual(['order:1']);
		expect(claim('workflow-2', ['order:1'], 1)).toEqual(['order:1']);
	});
});

/**
 * A stand-in for n8n's deduplication store with the same weakness as the real one (n8n 2.41.1
 * DeduplicationHelper.checkProcessedAndRecord: read the list, await, write the whole list back).
 */
function readThenWriteStore() {
	let stored: string[] = [];
	let calls = 0;
	return {
		get calls() {
			return calls;
		},
		async checkProcessedAndRecord(keys: Array<string | number>) {
			calls += 1;
			const snapshot = [...stored];
			await new Promise((resolve) => setImmediate(resolve));
			const fresh = keys.map(String).filter((k) => !snapshot.includes(k));
			stored = [...snapshot, ...fresh];
			return { new: fresh, processed: keys.filter((k) => snapshot.includes(String(k))) };
		},
	};
}

function executeContext(store: ReturnType<typeof readThenWriteStore>, items: INodeExecutionData[], mode = 'webhook') {
	const hints: string[] = [];
	const staticData: Record<string, unknown> = {};
	const ctx = {
		getWorkflowStaticData: () => staticData,
		getMode: () => mode,
		getWorkflow: () => ({ id: 'wf-1' }),
		getNode: () => ({ id: 'trigger-1' }),
		getInputData: () => items,
		helpers: { checkProcessedAndRecord: store.checkProcessedAndRecord },
		addExecutionHints: (...h: Array<{ message: string }>) => hints.push(...h.map((x) => x.message)),
	} as unknown as IExecuteFunctions;
	return { ctx, hints };
}

const item = (eventKey: string): INodeExecutionData => ({ json: { eventKey, event: 'order' } });

describe('keepFirstRuns: the check inside the execution, against n8n\'s deduplication store', () => {
	it('ten executions of one event at once: one keeps the event, nine end with nothing', async () => {
		const store = readThenWriteStore();
		const results = await Promise.all(
			Array.from({ length: 10 }, async () => await keepFirstRuns(executeContext(store, [item('msg:A')]).ctx, [item('msg:A')])),
		);
		expect(results.map((r) => r.length).sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
		expect(store.calls).toBe(10);
	});

	it('keeps new events of a mixed batch, in order, with pairedItem, and says why the rest did not run', async () => {
		const store = readThenWriteStore();
		await keepFirstRuns(executeContext(store, [item('b')]).ctx, [item('b')]);
		const { ctx, hints } = executeContext(store, []);
		const kept = await keepFirstRuns(ctx, [item('a'), item('b'), item('c'), item('a')]);
		expect(kept).toEqual([
			{ json: { eventKey: 'a', event: 'order' }, pairedItem: { item: 0 } },
			{ json: { eventKey: 'c', event: 'order' }, pairedItem: { item: 2 } },
		]);
		expect(hints).toEqual(['2 of 4 event(s) already ran in an earlier execution (redelivery): not run again']);
	});

	it('remembers the last keys that ran in static data, oldest dropped first, for webhook() to read', async () => {
		const store = readThenWriteStore();
		const { ctx } = executeContext(store, []);
		const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
		await keepFirstRuns(ctx, keys.map(item));
		const recent = Object.keys(ctx.getWorkflowStaticData('node').ranEventKeys as object);
		expect(recent).toHaveLength(256);
		expect(recent[0]).toBe('k44');
		expect(recent.at(-1)).toBe('k299');
	});

	it('a manual (test) execution passes everything and records nothing', async () => {
		const store = readThenWriteStore();
		const { ctx } = executeContext(store, [], 'manual');
		expect(await keepFirstRuns(ctx, [item('a')])).toHaveLength(1);
		expect(await keepFirstRuns(ctx, [item('a')])).toHaveLength(1);
		expect(store.calls).toBe(0);
	});
});

describe('claimInProcess: one memory per trigger, per kind of event, with static data taken in', () => {
	const scheme: KeyScheme<{ space: string; id: string }> = {
		space: (event) => event.space,
		id: (event) => event.id,
		parts: (key) => ({ space: key.slice(0, key.indexOf('|')), id: key.slice(key.indexOf('|') + 1) }),
	};
	function webhookContext(staticData: Record<string, unknown>, workflowId: string, mode = 'webhook') {
		let keyReads = 0;
		const data = new Proxy(staticData, {
			get(target, property) {
				if (property === 'ranEventKeys') keyReads += 1;
				return target[property as string];
			},
		});
		const ctx = {
			getMode: () => mode,
			getWorkflow: () => ({ id: workflowId }),
			getNode: () => ({ id: 'trigger-1' }),
			getWorkflowStaticData: () => data,
		} as unknown as IWebhookFunctions;
		return { ctx, keyReads: () => keyReads };
	}
	const ids = (events: Array<{ id: string }>) => events.map((e) => e.id);

	afterEach(() => forgetClaims());

	it('the same id in two spaces is two events (a message and its "delivered" status)', () => {
		const { ctx } = webhookContext({}, 'wf-spaces');
		const events = [{ space: 'msg', id: 'wamid.A' }, { space: 'status:delivered', id: 'wamid.A' }, { space: 'msg', id: 'wamid.A' }];
		expect(claimInProcess(ctx, events, scheme)).toEqual(events.slice(0, 2));
		expect(claimInProcess(ctx, events, scheme)).toEqual([]);
	});

	it('drops events whose key is in static data (ran elsewhere or before a restart), reading the list once per version', () => {
		const staticData: Record<string, unknown> = { ranEventKeys: { 'msg|wamid.RAN': 1 }, ranEventKeysVersion: 'v1' };
		const { ctx, keyReads } = webhookContext(staticData, 'wf-static');
		expect(ids(claimInProcess(ctx, [{ space: 'msg', id: 'wamid.RAN' }, { space: 'msg', id: 'wamid.NEW' }], scheme))).toEqual(['wamid.NEW']);
		expect(ids(claimInProcess(ctx, [{ space: 'msg', id: 'wamid.OTHER' }], scheme))).toEqual(['wamid.OTHER']);
		expect(keyReads()).toBe(1);
		// An execution elsewhere wrote a new list: its new keys are taken in once.
		staticData.ranEventKeys = { 'msg|wamid.RAN': 1, 'status:read|wamid.LATER': 2 };
		staticData.ranEventKeysVersion = 'v2';
		expect(ids(claimInProcess(ctx, [{ space: 'status:read', id: 'wamid.LATER' }, { space: 'msg', id: 'wamid.LATER' }], scheme))).toEqual(['wamid.LATER']);
		expect(claimInProcess(ctx, [{ space: 'status:read', id: 'wamid.LATER' }], scheme)).toEqual([]);
		expect(keyReads()).toBe(2);
	});

	it('a test webhook (manual mode) is never filtered', () => {
		const { ctx } = webhookContext({ ranEventKeys: { 'msg|wamid.RAN': 1 } }, 'wf-manual', 'manual');
		const events = [{ space: 'msg', id: 'wamid.RAN' }];
		expect(claimInProcess(ctx, events, scheme)).toEqual(events);
		expect(claimInProcess(ctx, events, scheme)).toEqual(events);
	});
});
