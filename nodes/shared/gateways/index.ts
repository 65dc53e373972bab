import { InputError } from '../errors';
import { lyraAdapter } from './lyra/adapter';
import { payuAdapter } from './payu/adapter';
import { razorpayAdapter } from './razorpay/adapter';
import { stripeAdapter } from './stripe/adapter';
import type { GatewayAdapter, GatewayId } from './types';

/** Every gateway adapter the Payment Gateway node dispatches to, by id. */
export const gatewayAdapters: Record<GatewayId, GatewayAdapter> = {
	lyra: lyraAdapter,
	payu: payuAdapter,
	razorpay: razorpayAdapter,
	stripe: stripeAdapter,
};

export function getAdapter(id: string): GatewayAdapter {
	const adapter = gatewayAdapters[id as GatewayId];
	if (!adapter) throw new InputError('gateway', `"${id}" is not a supported gateway (Lyra/PayZen, PayU India, Razorpay, Stripe)`);
	return adapter;
}
