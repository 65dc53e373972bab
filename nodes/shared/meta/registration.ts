/**
 * Where Meta sends a trigger's webhooks: the callback URL at one of Meta's three levels (spec meta-2026 §2).
 *
 *   phone number override  >  WABA override  >  app callback
 *
 * Several workflows on one Meta app coexist when each owns its own slot: a phone number's override (one shop
 * per number), the WABA's override (every number without its own), or the app's callback (the fields Meta
 * never overrides: template status, account and payment configuration updates).
 *
 * Two rules make registration safe for the other workflows on the same app:
 * - read before write: a slot that holds another URL is never overwritten unless the user chose "take over";
 *   activation fails naming the URL that is there;
 * - compare before delete: deactivation clears only slots that still hold this trigger's own URL.
 * n8n activates several workflows at once (its publication service runs in parallel): registrations of one
 * process run one at a time, so one trigger's read cannot go stale under another's write (e.g. the body-less
 * subscribe that deletes a WABA override landing between another trigger's read and write).
 */
import { createHmac } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { serialize } from '../effects/serialize';
import type { RequestContext } from '../transport/http';
import { graphRequest, metaCredential, type MetaCredential } from './graph';

export type RegistrationScope = 'phoneNumber' | 'waba' | 'app';

export const APP_OBJECT = 'whatsapp_business_account';

export interface Registration {
	scope: RegistrationScope;
	/** Phone number ids (scope phoneNumber). */
	phoneNumberIds: string[];
	/** This trigger's production URL. */
	url: string;
	verifyToken: string;
	/** Fields the app subscription must include (scope app). */
	fields: string[];
	/** Replace a URL someone else set. */
	takeOver: boolean;
}

/** One place at Meta that holds (or not) a callback URL. */
interface Slot {
	/** Stable id kept in static data, e.g. `phone:106540352242922`. */
	key: string;
	/** How the merchant knows it, for messages. */
	label: string;
	current: string | undefined;
	write(): Promise<void>;
	clear(): Promise<void>;
}

/** Another URL owns a slot this trigger needs; nothing was written. */
export class CallbackTakenError extends Error {
	constructor(
		readonly taken: Array<{ label: string; current: string }>,
		readonly url: string,
	) {
		const where = taken.map((t) => `${t.label} already sends its webhooks to ${t.current}`).join('; ');
		super(`${where}. This trigger (${url}) did not replace it.`);
		this.name = 'CallbackTakenError';
	}

	/** What to do next, for the error's description. */
	get hint(): string {
		return 'To proceed: deactivate the workflow that owns that URL (or remove it in Meta), choose other phone numbers or another registration scope, or turn on "Take Over Existing Callback" in this trigger to move the webhooks here.';
	}
}

/**
 * A verify token for this trigger when the user leaves the field empty: the same on every call (so Meta's
 * handshake matches what was registered), different per workflow and node, not guessable without the secret.
 */
export function derivedVerifyToken(secret: string, workflowId: string, nodeKey: string): string {
	return createHmac('sha256', secret).update(`wa-commerce-verify:${workflowId}:${nodeKey}`).digest('base64url').slice(0, 32);
}

function requireAppId(credential: MetaCredential, scope: string): string {
	if (!credential.appId) {
		throw new Error(`The ${scope} registration needs the App ID in the WhatsApp Commerce credential (App settings > Basic > App ID).`);
	}
	return credential.appId;
}

interface SubscribedApp {
	whatsapp_business_api_data?: { id?: string; name?: string };
	override_callback_uri?: string;
}

async function subscribedApps(ctx: RequestContext, credential: MetaCredential): Promise<SubscribedApp[]> {
	const answer = await graphRequest<{ data?: SubscribedApp[] }>(ctx, {
		method: 'GET',
		path: `/${encodeURIComponent(credential.businessAccountId)}/subscribed_apps`,
	});
	return answer.data ?? [];
}

/**
 * Overrides need the app subscribed to the WABA. Subscribing is a POST without a body, which ALSO deletes our
 * app's WABA override (someone else's registration): so it is sent only when our app is absent, or, without
 * an App ID to tell the apps apart, when no app carries an override at all.
 */
async function ensureAppSubscribed(ctx: RequestContext, credential: MetaCredential): Promise<void> {
	const apps = await subscribedApps(ctx, credential);
	const present = credential.appId
		? apps.some((app) => app.whatsapp_business_api_data?.id === credential.appId)
		: apps.some((app) => app.override_callback_uri);
	if (present) return;
	await graphRequest(ctx, { method: 'POST', path: `/${encodeURIComponent(credential.businessAccountId)}/subscribed_apps` });
}

async function phoneSlot(ctx: RequestContext, credential: MetaCredential, id: string, registration: Registration): Promise<Slot> {
	const path = `/${encodeURIComponent(id)}`;
	const answer = await graphRequest<{ webhook_configuration?: IDataObject }>(ctx, {
		method: 'GET',
		path,
		qs: { fields: 'webhook_configuration' },
	});
	const current = answer.webhook_configuration?.phone_number;
	const set = (uri: string, token?: string) =>
		graphRequest(ctx, {
			method: 'POST',
			path,
			body: { webhook_configuration: { override_callback_uri: uri, ...(token ? { verify_token: token } : {}) } },
		});
	return {
		key: `phone:${id}`,
		label: `Phone number ${id}`,
		current: typeof current === 'string' && current !== '' ? current : undefined,
		write: async () => {
			await ensureAppSubscribed(ctx, credential);
			await set(registration.url, registration.verifyToken);
		},
		// Meta's documented removal: the same call with an empty override.
		clear: async () => void (await set('')),
	};
}

async function wabaSlot(ctx: RequestContext, credential: MetaCredential, registration: Registration): Promise<Slot> {
	const appId = requireAppId(credential, 'WhatsApp Business Account');
	const ours = (await subscribedApps(ctx, credential)).find((app) => app.whatsapp_business_api_data?.id === appId);
	const path = `/${encodeURIComponent(credential.businessAccountId)}/subscribed_apps`;
	return {
		key: `waba:${credential.businessAccountId}`,
		label: `WhatsApp Business Account ${credential.businessAccountId}`,
		current: ours?.override_callback_uri || undefined,
		write: async () =>
			void (await graphRequest(ctx, {
				method: 'POST',
				path,
				body: { override_callback_uri: registration.url, verify_token: registration.verifyToken },
			})),
		// A POST without a body keeps the app subscribed and drops the override (never DELETE: that unsubscribes the app).
		clear: async () => void (await graphRequest(ctx, { method: 'POST', path })),
	};
}

interface AppSubscription {
	object?: string;
	callback_url?: string;
	fields?: Array<{ name?: string } | string>;
}

async function appSlot(ctx: RequestContext, credential: MetaCredential, registration: Registration): Promise<Slot> {
	const appId = requireAppId(credential, 'app');
	if (!credential.appSecret) {
		throw new Error('The app registration needs the App Secret in the WhatsApp Commerce credential: Meta accepts only an app access token there.');
	}
	const path = `/${encodeURIComponent(appId)}/subscriptions`;
	const answer = await graphRequest<{ data?: AppSubscription[] }>(ctx, { method: 'GET', path, asApp: true });
	const ours = (answer.data ?? []).find((s) => s.object === APP_OBJECT);
	return {
		key: `app:${appId}`,
		label: `The app's callback URL (app ${appId})`,
		current: ours?.callback_url || undefined,
		// Posted fields are added to the app's subscription: fields other triggers rely on (messages) stay.
		write: async () =>
			void (await graphRequest(ctx, {
				method: 'POST',
				path,
				asApp: true,
				body: { object: APP_OBJECT, callback_url: registration.url, verify_token: registration.verifyToken, fields: registration.fields.join(',') },
			})),
		clear: async () => void (await graphRequest(ctx, { method: 'DELETE', path, asApp: true, qs: { object: APP_OBJECT } })),
	};
}

/** The slots of a registration, each read from Meta now. Extra keys (from an earlier version of the node) are read too. */
async function readSlots(ctx: RequestContext, registration: Registration, extraKeys: string[] = []): Promise<Slot[]> {
	const credential = await metaCredential(ctx);
	const keys = new Set<string>();
	if (registration.scope === 'phoneNumber') for (const id of registration.phoneNumberIds) keys.add(`phone:${id}`);
	if (registration.scope === 'waba') keys.add(`waba:${credential.businessAccountId}`);
	if (registration.scope === 'app') keys.add(`app:${credential.appId ?? ''}`);
	for (const key of extraKeys) keys.add(key);
	const slots: Slot[] = [];
	for (const key of keys) {
		const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
		if (kind === 'phone') slots.push(await phoneSlot(ctx, credential, id, registration));
		else if (kind === 'waba' && id === credential.businessAccountId) slots.push(await wabaSlot(ctx, credential, registration));
		else if (kind === 'app') slots.push(await appSlot(ctx, credential, registration));
	}
	return slots;
}

/** True when every slot of the registration already holds this trigger's URL. */
export async function isRegistered(ctx: RequestContext, registration: Registration): Promise<boolean> {
	const slots = await readSlots(ctx, registration);
	return slots.length > 0 && slots.every((slot) => slot.current === registration.url);
}

/**
 * Reads every slot first; if any holds another URL and the user did not choose take-over, nothing is written
 * and CallbackTakenError names the URLs. Returns the keys of the slots this trigger now owns.
 */
export async function register(ctx: RequestContext, registration: Registration): Promise<string[]> {
	return await serialize(LOCK, async () => await registerNow(ctx, registration));
}

/** One lock for all registrations of this process: they are rare, and the levels overlap (a WABA holds numbers). */
const LOCK = 'meta-webhook-registration';

async function registerNow(ctx: RequestContext, registration: Registration): Promise<string[]> {
	const slots = await readSlots(ctx, registration);
	const taken = slots.filter((slot) => slot.current !== undefined && slot.current !== registration.url);
	if (taken.length > 0 && !registration.takeOver) {
		throw new CallbackTakenError(taken.map((slot) => ({ label: slot.label, current: slot.current as string })), registration.url);
	}
	for (const slot of slots) if (slot.current !== registration.url) await slot.write();
	return slots.map((slot) => slot.key);
}

/**
 * Clears the slots of the registration (and `ownedKeys`, what an earlier activation recorded) that still hold
 * this trigger's URL; a slot someone else took over since is left alone. Returns the keys cleared.
 */
export async function unregister(ctx: RequestContext, registration: Registration, ownedKeys: string[] = []): Promise<string[]> {
	return await serialize(LOCK, async () => await unregisterNow(ctx, registration, ownedKeys));
}

async function unregisterNow(ctx: RequestContext, registration: Registration, ownedKeys: string[]): Promise<string[]> {
	const slots = await readSlots(ctx, registration, ownedKeys);
	const cleared: string[] = [];
	for (const slot of slots) {
		if (slot.current !== registration.url) continue;
		await slot.clear();
		cleared.push(slot.key);
	}
	return cleared;
}
