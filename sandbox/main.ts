/**
 * `npm run sandbox`: starts the sandbox on loopback and prints its URLs and the credential values to type into
 * n8n. SANDBOX_PORT (default 5800) is the control API; Meta, Razorpay, Stripe, PayU and Lyra take the next five
 * ports. N8N_URL (default http://localhost:5678) is where gateway webhooks go by default.
 */
import { exampleWebhookUrls, META_TRIGGER_WEBHOOK_ID, productionWebhookUrl } from './config';
import { Sandbox } from './sandbox';

async function main(): Promise<void> {
	const port = Number(process.env.SANDBOX_PORT ?? 5800);
	const n8nUrl = process.env.N8N_URL ?? 'http://localhost:5678';
	const sandbox = await new Sandbox({ port, n8nUrl, gatewayWebhookUrls: exampleWebhookUrls(n8nUrl), metaCallbackUrl: productionWebhookUrl(n8nUrl, META_TRIGGER_WEBHOOK_ID) }).start();
	console.log(`[sandbox] control API ${sandbox.controlUrl}/_sandbox`);
	for (const [name, url] of Object.entries(sandbox.urls())) console.log(`[sandbox]   ${name.padEnd(9)}${url}`);
	console.log('[sandbox] credentials (type -> fields):');
	console.log(JSON.stringify(sandbox.credentials(), null, 2));
	const stop = () => void sandbox.stop().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

void main();
