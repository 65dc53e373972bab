/**
 * Stripe's v1 bodies are form-encoded with bracketed keys: {line_items: [{price_data: {currency}}]} becomes
 * line_items[0][price_data][currency]=... Undefined values are left out; booleans and numbers become text.
 */
export type FormValue = string | number | boolean | undefined | null | FormValue[] | { [key: string]: FormValue };

export function toStripeForm(value: Record<string, FormValue>): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (prefix: string, current: FormValue): void => {
		if (current === undefined || current === null) return;
		if (Array.isArray(current)) {
			current.forEach((entry, index) => walk(`${prefix}[${index}]`, entry));
			return;
		}
		if (typeof current === 'object') {
			for (const [key, inner] of Object.entries(current)) walk(prefix ? `${prefix}[${key}]` : key, inner);
			return;
		}
		out[prefix] = String(current);
	};
	walk('', value);
	return out;
}
