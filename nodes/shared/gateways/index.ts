import { InputError } from '../errors';
import type { GatewayAdapter, GatewayId } from './types';

/**
 * Every gateway adapter the Payment Gateway node can dispatch to. Each adapter module adds one line here;
 * a gateway without an adapter yet is refused before anything is sent, naming the gateway.
 */
export const gatewayAdapters: Partial<Record<GatewayId, GatewayAdapter>> = {};

export function getAdapter(id: GatewayId): GatewayAdapter {
	const adapter = gatewayAdapters[id];
	if (!adapter) {
		throw new InputError('gateway', `The gateway "${id}" is not available in this version`, 'Choose another gateway');
	}
	return adapter;
}
