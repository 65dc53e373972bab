/**
 * Razorpay and Stripe refund APIs take an amount without a currency: a partial refund typed in the wrong
 * currency would be read in the payment's minor units (500 JPY sent as 500 paise). The node's amount is
 * therefore checked against the payment's currency before the refund is sent.
 */
import { InputError } from '../errors';
import type { Money } from '../money';
import type { Payment } from './types';

export function assertRefundCurrency(payment: Payment, amount: Money): void {
	if (payment.amount.currency !== amount.currency) {
		throw new InputError(
			'currency',
			`The payment ${payment.paymentId} is in ${payment.amount.currency}, not ${amount.currency}`,
			`Enter the refund amount in ${payment.amount.currency}; nothing was refunded.`,
		);
	}
}
