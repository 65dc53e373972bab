/**
 * Who the customer is, in both directions: read from a Meta webhook (business-scoped user id, phone when Meta
 * gives it, username) and turned back into the address of a send (`to` for a phone, `recipient` for a BSUID).
 * Since April 2026 a customer who adopted a username may come without any phone number: the BSUID is then the
 * only address, and Meta silently drops a BSUID sent in `to` (HTTP 200, never delivered), so every send of the
 * package goes through `recipientField`.
 */
import type { IDataObject } from 'n8n-workflow';

import { InputError } from '../errors';

/** A BSUID (`US.13491208655302741918`) or a parent BSUID (`US.ENT.11815799212886844830`), as Meta documents it. */
export const BSUID_PATTERN = /^[A-Z]{2}\.(ENT\.)?[A-Za-z0-9]{1,128}$/;

export interface CustomerIdentity {
	/** The business-scoped user id (BSUID); null only in payloads from before Meta introduced it. */
	userId: string | null;
	/** The phone number (wa_id); null when Meta withholds it for a username adopter. */
	waId: string | null;
	username: string | null;
	/** Parent BSUID, only for businesses Meta enrolled in parent BSUIDs. */
	parentUserId: string | null;
	profileName: string | null;
	/** What to put in an action node's "Recipient": the phone when known (Meta advises it), else the BSUID. */
	replyTo: string | null;
}

const asObject = (value: unknown): IDataObject =>
	value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {};
/** Meta's ids as text; an empty string is "absent" (some relays send `from: ""` for username adopters). */
const id = (value: unknown): string | null =>
	value === undefined || value === null || value === '' ? null : String(value);

/** The `contacts[]` entry that belongs to one message (by BSUID, then phone, else the only one). */
export function contactOf(contacts: IDataObject[], userId: unknown, waId: unknown): IDataObject | undefined {
	if (contacts.length === 0) return undefined;
	if (userId) {
		const byUser = contacts.find((contact) => contact.user_id === userId);
		if (byUser) return byUser;
	}
	if (waId) {
		const byPhone = contacts.find((contact) => contact.wa_id === waId);
		if (byPhone) return byPhone;
	}
	return contacts.length === 1 ? contacts[0] : undefined;
}

/** The customer of an inbound message: `from`/`from_user_id` on the message, the rest on its contact. */
export function customerOfMessage(message: IDataObject, contacts: IDataObject[]): CustomerIdentity {
	const contact = asObject(contactOf(contacts, message.from_user_id, message.from));
	const profile = asObject(contact.profile);
	const userId = id(message.from_user_id) ?? id(contact.user_id);
	const waId = id(message.from) ?? id(contact.wa_id);
	return {
		userId,
		waId,
		username: id(profile.username),
		parentUserId: id(message.from_parent_user_id) ?? id(contact.parent_user_id),
		profileName: id(profile.name),
		replyTo: waId ?? userId,
	};
}

/**
 * The customer a status is about. `recipient_id` is the phone (absent when the message went to a BSUID and
 * the phone cannot be shared); `recipient_user_id` is the BSUID; status `contacts[]` add the username on
 * delivered/read.
 */
export function customerOfStatus(status: IDataObject, contacts: IDataObject[]): CustomerIdentity {
	const contact = asObject(contactOf(contacts, status.recipient_user_id, status.recipient_id));
	const profile = asObject(contact.profile);
	const userId = id(status.recipient_user_id) ?? id(contact.user_id);
	const waId = id(status.recipient_id) ?? id(contact.wa_id);
	return {
		userId,
		waId,
		username: id(profile.username),
		parentUserId: id(status.recipient_parent_user_id) ?? id(status.parent_recipient_user_id) ?? id(contact.parent_user_id),
		profileName: id(profile.name),
		replyTo: waId ?? userId,
	};
}

/** Where a message goes: exactly one of Meta's two address fields. */
export type RecipientAddress = { to: string } | { recipient: string };

/** The recipient as text (for logs, pacing keys and outputs). */
export function recipientText(address: RecipientAddress): string {
	return 'to' in address ? address.to : address.recipient;
}

export function isBsuid(address: RecipientAddress): boolean {
	return 'recipient' in address;
}

/**
 * A "Recipient" value -> `{to}` or `{recipient}`. Accepts a phone number with country code (spaces, dashes,
 * brackets and "+" are dropped), a BSUID or parent BSUID, or the trigger's `replyTo` (the same text), and,
 * for workflows that map whole objects, `{to}` / `{recipient}` / `{wa_id}` / `{user_id}`.
 */
export function recipientField(raw: unknown, field = 'to'): RecipientAddress {
	if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
		const value = raw as IDataObject;
		const phone = value.to ?? value.wa_id ?? value.waId;
		const user = value.recipient ?? value.user_id ?? value.userId;
		return recipientField(phone ?? user ?? '', field);
	}
	const text = String(raw ?? '').trim();
	if (BSUID_PATTERN.test(text)) return { recipient: text };
	const digits = text.replace(/[\s()+-]/g, '');
	if (/^\d{6,15}$/.test(digits)) return { to: digits };
	throw new InputError(
		field,
		text
			? `"${text}" is neither a WhatsApp number with country code (e.g. 919876543210) nor a business-scoped user ID (e.g. BR.8812004471)`
			: 'The recipient is empty: map the trigger\'s replyTo (phone when known, else the business-scoped user ID)',
	);
}

/** Meta's send answer: `wa_id` when sent to a phone, `user_id` when sent to a BSUID. */
export function sentTo(answer: { contacts?: Array<{ input?: string; wa_id?: string; user_id?: string }> }, address: RecipientAddress): {
	waId: string | null;
	userId: string | null;
} {
	const contact = answer.contacts?.[0] ?? {};
	return {
		waId: contact.wa_id ?? ('to' in address ? address.to : null),
		userId: contact.user_id ?? ('recipient' in address ? address.recipient : null),
	};
}
