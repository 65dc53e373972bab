/**
 * Money: the ONLY place where decimal amounts and integer minor units meet.
 *
 * Every amount inside this package is an integer number of minor units (paise, cents, yen) from the
 * moment it enters. Decimal strings typed by a merchant ("199.99") or sent by a service (Meta's
 * item_price 7.99, PayU's "10.00") are converted here with string arithmetic and the currency's
 * exponent, never with `x * 100` on a float (0.1 + 0.2 !== 0.3; 19.99 * 100 === 1998.9999999999998).
 * Too many decimals is an error, never a silent rounding.
 */
import { InputError } from './errors';

/** ISO 4217 currencies without minor units, as Stripe and the card networks treat them. */
const ZERO_DECIMAL = new Set([
	'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF',
	'XOF', 'XPF',
]);
/** Currencies with three decimals (fils, baisa, millimes). */
const THREE_DECIMAL = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

export interface Money {
	/** Integer amount in minor units. */
	minor: number;
	/** ISO 4217 code, upper case. */
	currency: string;
}

/** The output shape every node uses for an amount: exact integer, currency and the decimal for people. */
export interface MoneyView extends Money {
	decimal: string;
}

/**
 * Currency texts already validated, as typed or received ("inr", "INR ") -> code and exponent. Webhook
 * normalization converts every item of every event, so the check runs once per spelling, not per amount.
 * Bounded: only valid codes are stored, and at most a few hundred spellings.
 */
const knownCurrencies = new Map<string, { code: string; exponent: number }>();

function lookupCurrency(currency: unknown, field: string): { code: string; exponent: number } {
	if (typeof currency === 'string') {
		const known = knownCurrencies.get(currency);
		if (known) return known;
	}
	const code = String(currency ?? '').trim().toUpperCase();
	if (!/^[A-Z]{3}$/.test(code)) {
		throw new InputError(field, `"${String(currency ?? '')}" is not a 3-letter ISO 4217 currency code`);
	}
	const exponent = ZERO_DECIMAL.has(code) ? 0 : THREE_DECIMAL.has(code) ? 3 : 2;
	const entry = { code, exponent };
	if (typeof currency === 'string' && knownCurrencies.size < 512) knownCurrencies.set(currency, entry);
	return entry;
}

export function normalizeCurrency(currency: unknown, field = 'currency'): string {
	return lookupCurrency(currency, field).code;
}

/** Number of decimals of the currency's minor unit: 0 for JPY, 3 for KWD, 2 otherwise. */
export function currencyExponent(currency: string): number {
	return lookupCurrency(currency, 'currency').exponent;
}

const POWERS_OF_TEN = [1, 10, 100, 1000];

function assertSafeMinor(minor: number, field: string): number {
	if (!Number.isSafeInteger(minor)) {
		throw new InputError(field, `the amount ${minor} is too large to be represented exactly`);
	}
	return minor;
}

/**
 * Turns the text of a JS number into plain decimal notation without going through float arithmetic.
 * `String(7.99)` is already the shortest exact decimal; only exponent forms need rewriting.
 */
function numberToPlainDecimal(value: number, field: string): string {
	if (!Number.isFinite(value)) throw new InputError(field, `${value} is not a finite amount`);
	const text = String(value);
	const match = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
	if (!match) return text;
	const [, sign, head, tail = '', expText] = match;
	const exp = Number(expText);
	const digits = head + tail;
	const pointAt = 1 + exp;
	if (pointAt <= 0) return `${sign}0.${'0'.repeat(-pointAt)}${digits}`;
	if (pointAt >= digits.length) return sign + digits + '0'.repeat(pointAt - digits.length);
	return `${sign}${digits.slice(0, pointAt)}.${digits.slice(pointAt)}`;
}

/**
 * Converts a decimal amount in major units ("199.99", 7.99, "1,250.500" is refused: no separators)
 * to integer minor units of `currency`. Negative amounts are refused unless `allowNegative`.
 */
export function toMinor(
	amount: string | number,
	currency: string,
	field = 'amount',
	options: { allowNegative?: boolean; allowZero?: boolean } = {},
): number {
	const exponent = currencyExponent(currency);
	if (typeof amount === 'number' && amount > 0) {
		// Fast path for a webhook's JSON numbers (Meta's item_price 399 or 249.5), still without float
		// arithmetic: whole units are integer x integer; otherwise the shortest decimal text of the
		// number is split at the dot. Exponent forms (1e-7, 1e21) take the general path below.
		if (Number.isSafeInteger(amount)) return assertSafeMinor(amount * POWERS_OF_TEN[exponent], field);
		const plain = String(amount);
		const dot = plain.indexOf('.');
		if (dot > 0 && plain.indexOf('e') === -1 && plain.length - dot - 1 <= exponent) {
			const fraction = plain.slice(dot + 1);
			return assertSafeMinor(Number(plain.slice(0, dot) + fraction + '0'.repeat(exponent - fraction.length)), field);
		}
	}
	const text = typeof amount === 'number' ? numberToPlainDecimal(amount, field) : String(amount ?? '').trim();
	const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text) ?? /^(-?)()\.(\d+)$/.exec(text);
	if (!match || text === '' || text === '-') {
		throw new InputError(
			field,
			`"${String(amount)}" is not a decimal amount (use digits and a dot, e.g. "199.99")`,
		);
	}
	const [, sign, whole, fractionRaw = ''] = match;
	// Trailing zeros carry no value: "500.00" JPY is 500 yen, while "500.5" JPY is refused.
	const fraction = fractionRaw.replace(/0+$/, '');
	if (fraction.length > exponent) {
		throw new InputError(
			field,
			`"${String(amount)}" has more decimals than ${normalizeCurrency(currency)} allows (${exponent})`,
			'Amounts are never rounded: send the exact amount in major units, or integer minor units.',
		);
	}
	const minorText = (whole || '0') + fraction.padEnd(exponent, '0');
	const minor = assertSafeMinor(Number(minorText), field) * (sign === '-' ? -1 : 1);
	if (minor < 0 && !options.allowNegative) throw new InputError(field, `the amount must not be negative`);
	if (minor === 0 && options.allowZero === false) throw new InputError(field, `the amount must be greater than 0`);
	return minor === 0 ? 0 : minor;
}

/** Accepts integer minor units as a number or digit string (e.g. from an ERP) and checks them. */
export function parseMinor(
	value: string | number,
	field = 'amount',
	options: { allowNegative?: boolean; allowZero?: boolean } = {},
): number {
	const text = typeof value === 'number' ? numberToPlainDecimal(value, field) : String(value ?? '').trim();
	if (!/^-?\d+$/.test(text)) {
		throw new InputError(field, `"${String(value)}" is not a whole number of minor units (e.g. 19999 for 199.99)`);
	}
	const minor = assertSafeMinor(Number(text), field);
	if (minor < 0 && !options.allowNegative) throw new InputError(field, `the amount must not be negative`);
	if (minor === 0 && options.allowZero === false) throw new InputError(field, `the amount must be greater than 0`);
	return minor === 0 ? 0 : minor;
}

/** Integer minor units -> decimal string in major units with exactly the currency's decimals. */
export function toDecimalString(minor: number, currency: string): string {
	assertSafeMinor(minor, 'amount');
	return decimalOf(minor, currencyExponent(currency));
}

function decimalOf(minor: number, exponent: number): string {
	const sign = minor < 0 ? '-' : '';
	const digits = String(Math.abs(minor));
	if (exponent === 0) return sign + digits;
	const padded = digits.padStart(exponent + 1, '0');
	return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}

export function moneyView(minor: number, currency: string): MoneyView {
	const { code, exponent } = lookupCurrency(currency, 'currency');
	return { minor: assertSafeMinor(minor, 'amount'), currency: code, decimal: decimalOf(minor, exponent) };
}

/** quantity x unit price, exactly, refusing fractional quantities. */
export function multiply(minor: number, quantity: number, field = 'quantity'): number {
	if (!Number.isSafeInteger(quantity) || quantity <= 0) {
		throw new InputError(field, `the quantity must be a positive whole number, got ${quantity}`);
	}
	return assertSafeMinor(minor * quantity, field);
}

export function sum(values: number[]): number {
	return assertSafeMinor(
		values.reduce((total, value) => total + value, 0),
		'amount',
	);
}

/**
 * Meta's `{value, offset}` amounts: value is an integer, offset the divisor (always 100 for INR and BRL).
 * Converting to minor units needs offset === 10^exponent; anything else is refused rather than guessed.
 */
export function fromOffsetAmount(
	amount: { value: number | string; offset: number | string },
	currency: string,
	field = 'amount',
): number {
	const value = parseMinor(amount.value, `${field}.value`, { allowNegative: true });
	const offset = Number(amount.offset);
	const expected = 10 ** currencyExponent(currency);
	if (offset !== expected) {
		throw new InputError(`${field}.offset`, `offset ${amount.offset} does not match ${currency} (expected ${expected})`);
	}
	return value;
}

export function toOffsetAmount(minor: number, currency: string): { value: number; offset: number } {
	return { value: assertSafeMinor(minor, 'amount'), offset: 10 ** currencyExponent(currency) };
}
