import fc from 'fast-check';

import { InputError } from '../../nodes/shared/errors';
import {
	currencyExponent,
	fromOffsetAmount,
	moneyView,
	multiply,
	normalizeCurrency,
	parseMinor,
	sum,
	toDecimalString,
	toMinor,
	toOffsetAmount,
} from '../../nodes/shared/money';

/** Pure conversions: exact integer minor units, never float arithmetic, never silent rounding. */
describe('money: decimal <-> integer minor units', () => {
	const inputError = (fn: () => unknown): InputError => {
		try {
			fn();
		} catch (error) {
			expect(error).toBeInstanceOf(InputError);
			return error as InputError;
		}
		throw new Error('expected an InputError');
	};

	it('knows each currency\'s decimals: JPY 0, INR 2, EUR 2, KWD 3 (case-insensitive)', () => {
		expect(currencyExponent('JPY')).toBe(0);
		expect(currencyExponent('inr')).toBe(2);
		expect(currencyExponent('EUR')).toBe(2);
		expect(currencyExponent('KWD')).toBe(3);
		expect(currencyExponent('bhd')).toBe(3);
		expect(normalizeCurrency(' usd ')).toBe('USD');
		expect(inputError(() => normalizeCurrency('RUPEES')).field).toBe('currency');
	});

	it('19.99 is 1999 cents, as a string and as a number (19.99 * 100 would be 1998.9999999999998)', () => {
		expect(19.99 * 100).not.toBe(1999);
		expect(toMinor('19.99', 'USD')).toBe(1999);
		expect(toMinor(19.99, 'USD')).toBe(1999);
		expect(toMinor(0.07, 'USD')).toBe(7);
		expect(toMinor(1.13, 'USD')).toBe(113);
		// Math.round(1.005 * 100) would silently give 100: here it is an error, as it should be.
		expect(inputError(() => toMinor(1.005, 'EUR')).message).toMatch(/more decimals than EUR allows/);
	});

	it('"0.1" + "0.2" summed in minor units is exactly 30 (0.1 + 0.2 is not 0.3 in floats)', () => {
		expect(0.1 + 0.2).not.toBe(0.3);
		expect(sum([toMinor('0.1', 'INR'), toMinor('0.2', 'INR')])).toBe(30);
		expect(toDecimalString(sum([toMinor(0.1, 'INR'), toMinor(0.2, 'INR')]), 'INR')).toBe('0.30');
	});

	it('INR paise, JPY whole yen, KWD fils', () => {
		expect(toMinor('1499.99', 'INR')).toBe(149999);
		expect(toMinor('1499', 'INR')).toBe(149900);
		expect(toMinor('1499.9', 'INR')).toBe(149990);
		expect(toMinor('.5', 'INR')).toBe(50);
		expect(toMinor('5.', 'INR')).toBe(500);
		expect(toMinor('500', 'JPY')).toBe(500);
		expect(toMinor('500.00', 'JPY')).toBe(500);
		expect(toMinor('1.234', 'KWD')).toBe(1234);
		expect(toMinor('1.2', 'KWD')).toBe(1200);
		expect(toMinor('0', 'INR')).toBe(0);
	});

	it('too many decimals is an error naming the field, never a rounding', () => {
		const inr = inputError(() => toMinor('10.001', 'INR', 'items[2].amount'));
		expect(inr.field).toBe('items[2].amount');
		expect(inr.message).toBe('"10.001" has more decimals than INR allows (2)');
		expect(inr.hint).toMatch(/never rounded/);
		expect(inputError(() => toMinor('500.5', 'JPY')).message).toMatch(/JPY allows \(0\)/);
		expect(inputError(() => toMinor('1.2345', 'KWD')).message).toMatch(/KWD allows \(3\)/);
		expect(inputError(() => toMinor(19.999, 'USD')).message).toMatch(/more decimals/);
		// Trailing zeros carry no value, so they are not "too many decimals".
		expect(toMinor('10.0000', 'INR')).toBe(1000);
	});

	it('refuses what is not a plain decimal: separators, signs, words, empty, NaN, Infinity', () => {
		for (const bad of ['1,499.00', '1 499', '+5', '1e3', '12abc', 'abc', '', ' ', '-', '.', '0x10', '١٢']) {
			expect(inputError(() => toMinor(bad, 'INR')).message).toMatch(/is not a decimal amount/);
		}
		expect(inputError(() => toMinor(Number.NaN, 'INR')).message).toMatch(/not a finite amount/);
		expect(inputError(() => toMinor(Number.POSITIVE_INFINITY, 'INR')).message).toMatch(/not a finite amount/);
	});

	it('exponent-form numbers are read exactly: 1e21, 1.5e-7 and 2e-2', () => {
		expect(String(1e21)).toBe('1e+21');
		expect(toMinor(2e-2, 'USD')).toBe(2);
		expect(toMinor(1.5e3, 'JPY')).toBe(1500);
		expect(inputError(() => toMinor(1.5e-7, 'USD')).message).toMatch(/more decimals than USD allows/);
		// 1e21 cents is beyond Number.MAX_SAFE_INTEGER: refused rather than approximated.
		expect(inputError(() => toMinor(1e21, 'USD')).message).toMatch(/too large to be represented exactly/);
		expect(parseMinor(1e15)).toBe(1_000_000_000_000_000);
	});

	it('negative and zero amounts are refused unless allowed', () => {
		expect(inputError(() => toMinor('-5', 'INR')).message).toBe('the amount must not be negative');
		expect(toMinor('-5.25', 'INR', 'amount', { allowNegative: true })).toBe(-525);
		expect(inputError(() => toMinor('0.00', 'INR', 'amount', { allowZero: false })).message).toBe('the amount must be greater than 0');
		expect(Object.is(toMinor('-0', 'INR', 'amount', { allowNegative: true }), 0)).toBe(true);
	});

	it('parseMinor takes whole minor units as numbers or digit strings only', () => {
		expect(parseMinor('19999')).toBe(19999);
		expect(parseMinor(19999)).toBe(19999);
		expect(parseMinor(' 42 ')).toBe(42);
		for (const bad of ['19.99', 19.5, '1e3', 'abc', '']) expect(inputError(() => parseMinor(bad)).message).toMatch(/not a whole number of minor units/);
		expect(inputError(() => parseMinor('-1')).message).toMatch(/negative/);
		expect(inputError(() => parseMinor('0', 'amount', { allowZero: false })).message).toMatch(/greater than 0/);
		expect(inputError(() => parseMinor('9007199254740993')).message).toMatch(/too large/);
	});

	it('toDecimalString writes exactly the currency\'s decimals', () => {
		expect(toDecimalString(1999, 'USD')).toBe('19.99');
		expect(toDecimalString(5, 'INR')).toBe('0.05');
		expect(toDecimalString(0, 'INR')).toBe('0.00');
		expect(toDecimalString(-525, 'EUR')).toBe('-5.25');
		expect(toDecimalString(-5, 'EUR')).toBe('-0.05');
		expect(toDecimalString(500, 'JPY')).toBe('500');
		expect(toDecimalString(1234, 'KWD')).toBe('1.234');
		expect(toDecimalString(7, 'KWD')).toBe('0.007');
		expect(moneyView(149999, 'inr')).toEqual({ minor: 149999, currency: 'INR', decimal: '1499.99' });
	});

	it('multiply is exact and refuses fractional quantities; sum refuses unsafe totals', () => {
		expect(multiply(1999, 3)).toBe(5997);
		expect(inputError(() => multiply(1999, 1.5)).field).toBe('quantity');
		expect(inputError(() => multiply(1999, 0)).message).toMatch(/positive whole number/);
		expect(inputError(() => sum([Number.MAX_SAFE_INTEGER, 1])).message).toMatch(/too large/);
	});

	it('Meta {value, offset} amounts: offset must match the currency', () => {
		expect(fromOffsetAmount({ value: 49999, offset: 100 }, 'INR')).toBe(49999);
		expect(fromOffsetAmount({ value: '500', offset: '1' }, 'JPY')).toBe(500);
		expect(inputError(() => fromOffsetAmount({ value: 500, offset: 1000 }, 'INR')).field).toBe('amount.offset');
		expect(toOffsetAmount(1234, 'KWD')).toEqual({ value: 1234, offset: 1000 });
	});

	it('property: minor -> decimal -> minor is the identity for every currency exponent', () => {
		fc.assert(
			fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.constantFrom('JPY', 'INR', 'EUR', 'KWD'), (minor, currency) => {
				expect(toMinor(toDecimalString(minor, currency), currency, 'amount', { allowNegative: true })).toBe(minor);
			}),
		);
	});

	it('property: summing decimal strings in minor units equals summing the integers', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 0, max: 1e9 }), { maxLength: 20 }), (values) => {
				const decimals = values.map((value) => toDecimalString(value, 'INR'));
				expect(sum(decimals.map((text) => toMinor(text, 'INR')))).toBe(values.reduce((a, b) => a + b, 0));
			}),
		);
	});
});
