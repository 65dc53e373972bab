/**
 * Stripe's API units differ from ISO 4217 for a few currencies (Stripe docs, currencies#special-cases):
 * ISK stays two-decimal in the API (100 = 1 króna, multiples of 100 only) although money.ts counts whole
 * krónur, and three-decimal currencies (KWD, BHD, ...) must end in 0. Everything else is the package's
 * minor units unchanged. Integer arithmetic only.
 */
import { InputError, RemoteApiError } from '../../errors';
import { currencyExponent, moneyView, multiply, type Money, type MoneyView } from '../../money';

/** Currencies whose Stripe amount is 100 x the ISO minor units. */
const TWO_DECIMAL_IN_API = new Set(['ISK']);

export function toStripeAmount(money: Money, field = 'amount'): number {
	const currency = money.currency.toUpperCase();
	if (TWO_DECIMAL_IN_API.has(currency)) return multiply(money.minor, 100, field);
	if (currencyExponent(currency) === 3 && money.minor % 10 !== 0) {
		throw new InputError(field, `Stripe accepts ${currency} amounts in multiples of 0.010 (the last of the three decimals must be 0)`, 'Round the amount to two decimals yourself; nothing was sent.');
	}
	return money.minor;
}

export function fromStripeAmount(amount: number, currency: string): MoneyView {
	const code = currency.toUpperCase();
	if (!TWO_DECIMAL_IN_API.has(code)) return moneyView(amount, code);
	if (amount % 100 !== 0) {
		throw new RemoteApiError('Stripe', `Stripe answered a fractional ${code} amount (${amount}/100), which has no whole-króna value`, { hint: 'Look at this object in the Stripe Dashboard.' });
	}
	return moneyView(amount / 100, code);
}
