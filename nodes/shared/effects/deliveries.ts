import type { IExecuteFunctions, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { type Fingerprint, FingerprintGenerations, fingerprintInto, spaceSeed } from './fingerprint';
import { serialize } from './serialize';

/**
 * One delivery runs the workflow at most once, although Meta retries for 7 days and gateways redeliver.
 *
 * n8n 2.41.1 gives a trigger's webhook() no storage that survives: static data changed there is not saved
 * when the delivery starts an execution (n8n's runner re-wraps the object and resets its "changed" flag
 * before the save), and static data is last-writer-wins anyway. So the check has two layers:
 *
 * 1. `claimInProcess` in webhook(): this process's memory holds the events it already handed to an
 *    execution (per trigger, the last 10,000 to 20,000 events, for up to 7 days). Identical deliveries arriving
 *    together, or again later while this process runs, are answered 200 and start nothing. Synchronous, so two
 *    requests cannot both pass.
 * 2. `keepFirstRuns` in the trigger's execute(), which n8n runs as the first step of every execution a
 *    webhook started: n8n's own deduplication store (table processed_data, `helpers.checkProcessedAndRecord`)
 *    decides. It survives restarts and is shared by every process on the same database (queue mode). That
 *    store reads, then writes the whole list, so calls are serialized per trigger inside a process; across
 *    processes two executions of the same event at the same instant can still both pass (README: limits).
 *
 * 3. A short memory in the workflow's static data, written by execute() (n8n saves static data after an
 *    execution, and loads it for every webhook request): the keys of the last events that ran. webhook() takes
 *    its new keys into layer 1's memory whenever it changes, so a redelivery after a restart, or at another
 *    webhook process, usually starts no execution at all;
 *    when it does (the key fell out of that short list, or two executions saved over each other), layer 2
 *    still stops it at the trigger.
 *
 * The key is the event's `eventKey`, built from signed content only by the parsers.
 */

export interface ClaimLimits {
	/** Keys per generation: the last `cap` keys are always remembered, at most twice that many. */
	cap: number;
	/** Gateways and Meta stop retrying after this long: a generation whose newest key is older is dropped. */
	maxAgeMs: number;
}

export const CLAIM_LIMITS: ClaimLimits = { cap: 10000, maxAgeMs: 7 * 24 * 3600 * 1000 };

/** Entries n8n's store keeps per trigger (md5 hashes, ~27 bytes each, read and written per execution). */
export const STORE_MAX_ENTRIES = 10000;

/** Keys kept in static data: n8n reads the whole workflow row on every delivery, so this stays small. */
export const RECENT_KEYS_IN_STATIC_DATA = 256;

type RecentKeys = Record<string, number>;

/** An event's identity in the in-process memory: which table (`space`), and the id within it. */
export interface EventIdentity {
	space: string;
	id: string;
}

/**
 * How a trigger tells its events apart in the in-process memory. The full key (the items' `eventKey`) is what
 * n8n's store and static data keep; this memory fingerprints `id` as the body gave it, seeded by its `space`.
 * Why: a key built by concatenation is a rope that V8 must copy flat before its characters can be read; a
 * message id straight from JSON.parse is read in place (bench P2). `parts` is the inverse, for keys read back
 * from static data.
 */
export interface KeyScheme<T> extends EventIdentifier<T> {
	parts(key: string): EventIdentity;
}

/** Where an event sits in the in-process memory: its table and its id there. */
export interface EventIdentifier<T> {
	space(event: T): string;
	id(event: T): string;
}

/** The space of events identified by their whole key. */
export const ANY_EVENT_SPACE = '*';

/** One table, the whole key as the id: for triggers whose events are few (gateways). */
export function wholeKeyScheme<T>(key: (event: T) => string): KeyScheme<T> {
	return { space: () => ANY_EVENT_SPACE, id: key, parts: (whole) => ({ space: ANY_EVENT_SPACE, id: whole }) };
}

const IDENTITIES: EventIdentifier<EventIdentity> = { space: (identity) => identity.space, id: (identity) => identity.id };

/**
 * What one trigger handed to executions, in two generations: new events go to the current one; when it holds
 * `cap` events it becomes the previous one and the old previous one is dropped whole, so the memory always holds
 * the trigger's last `cap` to 2 x `cap` events, whatever their kind. Why not one Map trimmed from the front: a
 * JS Map keeps deleted entries as holes until it rehashes, and every trim walked them again, so at the cap each
 * new event cost about a microsecond (more than verifying its signature). Events are kept as 64-bit fingerprints
 * of (space, id) (fingerprint.ts): no string is retained, and a trigger at its cap holds 512 KB.
 */
interface Claims {
	prints: FingerprintGenerations;
	/** When each generation last took an event (the age limit drops a generation whole). */
	currentNewestAt: number;
	previousNewestAt: number;
}

/** Per trigger (workflow + node). */
const claimed = new Map<string, Claims>();

function triggerScope(workflowId: string | undefined, nodeId: string): string {
	return `${workflowId ?? ''}\u0000${nodeId}`;
}

/** Spaces are a handful of constants per trigger type: their seeds are computed once. */
const seeds = new Map<string, Fingerprint>();

function seedOf(space: string): Fingerprint {
	let seed = seeds.get(space);
	if (seed === undefined) {
		seed = spaceSeed(space);
		if (seeds.size < 1024) seeds.set(space, seed);
	}
	return seed;
}

/**
 * The events whose identity this process has not handed to an execution before (nor earlier in the same
 * batch); they are remembered now. O(events) per delivery.
 */
export function claimUnseen<T>(scope: string, events: T[], identify: EventIdentifier<T>, now: number, limits: ClaimLimits = CLAIM_LIMITS): T[] {
	let claims = claimed.get(scope);
	if (claims === undefined) {
		claims = { prints: new FingerprintGenerations(), currentNewestAt: now, previousNewestAt: now };
		claimed.set(scope, claims);
	}
	const prints = claims.prints;
	// A generation whose newest event is past the age limit holds only events nobody retries any more.
	if (prints.previousSize > 0 && now - claims.previousNewestAt >= limits.maxAgeMs) prints.forget('previous');
	if (prints.currentSize > 0 && now - claims.currentNewestAt >= limits.maxAgeMs) prints.forget('current');
	const fresh: T[] = [];
	const print: Fingerprint = { high: 0, low: 0 };
	// Meta's deliveries come in runs of one kind: the space's seed is looked up again only when the kind changes.
	let space: string | undefined;
	let seed: Fingerprint | undefined;
	for (const event of events) {
		const eventSpace = identify.space(event);
		if (seed === undefined || eventSpace !== space) {
			space = eventSpace;
			seed = seedOf(eventSpace);
		}
		fingerprintInto(print, identify.id(event), seed);
		if (prints.has(print)) continue;
		if (prints.currentSize >= limits.cap) {
			prints.turnOver();
			claims.previousNewestAt = claims.currentNewestAt;
		}
		prints.add(print);
		claims.currentNewestAt = now;
		fresh.push(event);
	}
	return fresh;
}

/**
 * Per trigger: the layer-3 keys already taken into the in-process memory, by the version execute() wrote with
 * them. The list changes only when an execution ends; its new keys are then claimed once, so webhook() looks
 * each event up in one memory, not two. (Through n8n's Proxy over static data, a lookup per event cost a
 * quarter of webhook() for a 100-event delivery.)
 */
const absorbed = new Map<string, { version: string | undefined; keys: Set<string> }>();

function absorbRan<T>(ctx: IWebhookFunctions, scope: string, scheme: KeyScheme<T>, now: number): void {
	const data = ctx.getWorkflowStaticData('node');
	const version = typeof data.ranEventKeysVersion === 'string' ? data.ranEventKeysVersion : undefined;
	const known = absorbed.get(scope);
	if (known !== undefined && version !== undefined && known.version === version) return;
	const stored = data.ranEventKeys as RecentKeys | undefined;
	if (stored === undefined) return;
	const keys = Object.keys(stored);
	const unseen = known === undefined ? keys : keys.filter((key) => !known.keys.has(key));
	claimUnseen(scope, unseen.map((key) => scheme.parts(key)), IDENTITIES, now);
	absorbed.set(scope, { version, keys: new Set(keys) });
}

/**
 * Layers 1 and 3, from a trigger's webhook(). A test webhook (Listen for test event) is never filtered.
 * `nodeId`: the caller's `getNode().id` when it already has the node (n8n copies the node on every getNode()).
 */
export function claimInProcess<T>(ctx: IWebhookFunctions, events: T[], scheme: KeyScheme<T>, nodeId = ctx.getNode().id): T[] {
	if (ctx.getMode() === 'manual') return events;
	const scope = triggerScope(ctx.getWorkflow().id, nodeId);
	const now = Date.now();
	absorbRan(ctx, scope, scheme, now);
	return claimUnseen(scope, events, scheme, now);
}

/** Adds keys to the static-data memory, dropping the oldest past the limit (insertion order is chronological). */
function rememberRan(ctx: IExecuteFunctions, keys: string[], now: number): void {
	const data = ctx.getWorkflowStaticData('node');
	const recent: RecentKeys = { ...((data.ranEventKeys as RecentKeys | undefined) ?? {}) };
	for (const key of keys) recent[key] = now;
	const all = Object.keys(recent);
	for (const key of all.slice(0, Math.max(0, all.length - RECENT_KEYS_IN_STATIC_DATA))) delete recent[key];
	// Assigning marks n8n's observable static data as changed, so n8n saves it when the execution ends.
	data.ranEventKeys = recent;
	// Tells webhook() the list changed (absorbRan): unique per write, also across processes.
	data.ranEventKeysVersion = `${now.toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Layer 2, from a trigger's execute(): the items whose `json.eventKey` n8n's deduplication store has not
 * recorded for this trigger; their keys are recorded now. Duplicates are counted in an execution hint, so the
 * execution view says why nothing ran. Manual executions pass everything (a test must be repeatable).
 */
export async function keepFirstRuns(ctx: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const paired = items.map((item, index) => ({ json: item.json, pairedItem: { item: index } }));
	if (ctx.getMode() === 'manual' || items.length === 0) return paired;
	const keys = paired.map((item, index) => {
		const key = item.json.eventKey;
		return typeof key === 'string' && key !== '' ? key : `item:${index}:${JSON.stringify(item.json)}`;
	});
	const unique = [...new Set(keys)];
	const scope = triggerScope(ctx.getWorkflow().id, ctx.getNode().id);
	const result = await serialize(`dedupe:${scope}`, async () =>
		await ctx.helpers.checkProcessedAndRecord(unique, 'node', { mode: 'entries', maxEntries: STORE_MAX_ENTRIES }),
	);
	const fresh = new Set(result.new.map(String));
	const keptKeys: string[] = [];
	const kept = paired.filter((_, index) => {
		const key = keys[index];
		if (!fresh.has(key)) return false;
		fresh.delete(key); // a key twice in one batch runs once
		keptKeys.push(key);
		return true;
	});
	if (kept.length > 0) rememberRan(ctx, keptKeys, Date.now());
	const skipped = items.length - kept.length;
	if (skipped > 0) {
		ctx.addExecutionHints({
			message: `${skipped} of ${items.length} event(s) already ran in an earlier execution (redelivery): not run again`,
			location: 'outputPane',
		});
	}
	return kept;
}

/** For tests: forget what this process claimed. */
export function forgetClaims(): void {
	claimed.clear();
	absorbed.clear();
}
