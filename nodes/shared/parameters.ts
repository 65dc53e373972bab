/**
 * Node parameters read per item, evaluated once per run when they hold no expression.
 *
 * Why: n8n's getNodeParameter costs the same for a fixed value as for an expression's plumbing (it looks the
 * node type up, builds the expression's extra keys, walks and validates the value) and a bulk send of
 * 1,000 msg/s reads six parameters per message. A parameter whose saved value contains no `=` expression at
 * any depth has the same value for every item, so the first item's value is reused (frozen, so no caller can
 * change what the next item reads).
 *
 * Expressions are evaluated per item. n8n builds a fresh expression context for every evaluation (its
 * sandbox, the workflow's time zone for $now/$today), about 130 µs each on this project's bench machine,
 * which was a fifth of the CPU of a 1,000 msg/s send. The commonest mapping by far, `{{ $json.field }}` (or
 * `{{ $json["field"] }}`) with nothing else in the value, is read straight from the item when the field
 * holds a string, number or boolean: the same value n8n's `$json` gives. Anything else (other variables,
 * nested paths, text around the braces, objects, a missing field) goes to n8n's engine.
 */
import type { IExecuteFunctions, IGetNodeParameterOptions, IHookFunctions, INodeExecutionData, INodeParameters, IWebhookFunctions } from 'n8n-workflow';

interface RunParameters {
	/** The node's saved parameters (n8n's getNode() copies the node on every call: read once). */
	saved: INodeParameters;
	values: Map<string, unknown>;
	/** Per parameter: the item field its value maps as a bare `{{ $json.field }}`, or null. */
	fields: Map<string, string | null>;
	items?: INodeExecutionData[];
}

const BARE_FIELD = /^=\{\{\s*\$json(?:\.([A-Za-z_$][\w$]*)|\[\s*(?:"([^"\\]*)"|'([^'\\]*)')\s*\])\s*\}\}$/;

/** The field a saved value maps as `={{ $json.field }}` / `={{ $json["field"] }}` and nothing else. */
export function bareJsonField(saved: unknown): string | null {
	if (typeof saved !== 'string') return null;
	const match = BARE_FIELD.exec(saved);
	return match ? (match[1] ?? match[2] ?? match[3]) : null;
}

const runs = new WeakMap<object, RunParameters>();

/** Whether a saved parameter value holds an n8n expression anywhere inside it. */
export function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(holdsExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(holdsExpression);
	return false;
}

function frozen<T>(value: T): T {
	return value !== null && typeof value === 'object' ? Object.freeze(value) : value;
}

/**
 * `ctx.getNodeParameter(name, itemIndex, fallback, options)` for a top-level parameter, from a per-run memory
 * when its saved value holds no expression. Callers must treat an object result as read-only.
 */
export function itemParameter(
	ctx: IExecuteFunctions,
	name: string,
	itemIndex: number,
	fallback?: unknown,
	options?: IGetNodeParameterOptions,
): unknown {
	let run = runs.get(ctx);
	if (!run) {
		run = { saved: ctx.getNode().parameters, values: new Map(), fields: new Map() };
		runs.set(ctx, run);
	}
	const key = options?.extractValue ? `${name}\u0000value` : name;
	if (run.values.has(key)) return run.values.get(key);
	let field = run.fields.get(name);
	if (field === undefined) {
		field = bareJsonField(run.saved[name]);
		run.fields.set(name, field);
	}
	if (field !== null) {
		run.items ??= ctx.getInputData();
		const json = run.items[itemIndex]?.json;
		const mapped = json !== undefined && Object.prototype.hasOwnProperty.call(json, field) ? json[field] : undefined;
		if (typeof mapped === 'string' || typeof mapped === 'number' || typeof mapped === 'boolean') return mapped;
	}
	const value = ctx.getNodeParameter(name, itemIndex, fallback, options) as unknown;
	if (!holdsExpression(run.saved[name])) run.values.set(key, frozen(value));
	return value;
}

/**
 * For a trigger's webhook() and hooks (one request, no items): a parameter as the node saved it when it holds
 * no expression, else n8n's `getNodeParameter`. n8n builds the expression's extra keys and validates the value on
 * every call, even for a fixed value; a webhook reads its filters for every delivery. `saved` is the node's
 * parameters from one `getNode()` (which copies the node). Callers must not change the value.
 */
export function savedParameter(
	ctx: IWebhookFunctions | IHookFunctions,
	saved: INodeParameters,
	name: string,
	fallback: unknown,
): unknown {
	const value = saved[name];
	if (value === undefined || holdsExpression(value)) return ctx.getNodeParameter(name, fallback) as unknown;
	return value;
}
