/**
 * PayU asks merchants to confirm a notification with verify_payment before acting on it: the reverse hash
 * proves PayU signed the fields, verify_payment proves the transaction is in that state now (a replayed or
 * stale "success" for a payment that later failed or was reversed is caught here).
 */
import type { IDataObject } from 'n8n-workflow';

import { toMinor } from '../../money';
import type { RequestContext } from '../../transport/http';
import type { GatewayEvent } from '../types';
import { verifyPayment } from './adapter';

export type Confirmation = { ok: true; event: GatewayEvent } | { ok: false; reason: string };

/** Compares PayU's record (verify_payment) with the notification; pure, for unit tests. */
export function compareWithRecord(event: GatewayEvent, record: IDataObject | undefined): Confirmation {
	const notified = event.raw;
	if (!record) return { ok: false, reason: `PayU has no transaction ${String(notified.txnid)}` };
	const status = String(record.status ?? '').toLowerCase();
	if (status !== String(notified.status ?? '').toLowerCase()) {
		return { ok: false, reason: `PayU reports status "${status}", the notification "${String(notified.status)}"` };
	}
	if (notified.mihpayid !== undefined && String(record.mihpayid) !== String(notified.mihpayid)) {
		return { ok: false, reason: 'PayU reports another mihpayid for this txnid' };
	}
	const amount = String(record.amt ?? record.transaction_amount ?? '');
	if (event.amount && (!amount || toMinor(amount, 'INR', 'amt') !== event.amount.minor)) {
		return { ok: false, reason: `PayU reports amount ${amount}, the notification ${event.amount.decimal}` };
	}
	return { ok: true, event: { ...event, confirmed: true } };
}

export async function confirmEvent(ctx: RequestContext, event: GatewayEvent): Promise<Confirmation> {
	const txnid = String(event.raw.txnid ?? '');
	if (!txnid) return { ok: false, reason: 'the notification has no txnid' };
	return compareWithRecord(event, await verifyPayment(ctx, txnid));
}
