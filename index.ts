/** Every node and credential class of the package (n8n itself loads them from package.json's n8n block). */
export { WaCommerceMetaApi } from './credentials/WaCommerceMetaApi.credentials';
export { WaCommercePayUApi } from './credentials/WaCommercePayUApi.credentials';
export { WaCommerceLyraApi } from './credentials/WaCommerceLyraApi.credentials';
export { WaCommerceRazorpayApi } from './credentials/WaCommerceRazorpayApi.credentials';
export { WaCommerceStripeApi } from './credentials/WaCommerceStripeApi.credentials';
export { PaymentGateway } from './nodes/PaymentGateway/PaymentGateway.node';
export { WhatsAppCommerce } from './nodes/WhatsAppCommerce/WhatsAppCommerce.node';
export { WhatsAppCommerceTrigger } from './nodes/WhatsAppCommerceTrigger/WhatsAppCommerceTrigger.node';
export { PaymentGatewayTrigger } from './nodes/PaymentGatewayTrigger/PaymentGatewayTrigger.node';
