/**
 * Graph API versions the package offers, with the dates Meta publishes (spec meta-2026 §5). Meta serves a call
 * to an expired version with the oldest live one, so behaviour changes silently instead of failing: the
 * credential test warns 90 days ahead.
 */
export interface GraphVersion {
	version: string;
	released: string;
	/** Last day Meta serves it (ISO date); undefined while Meta has not published one. */
	availableUntil?: string;
}

/** Newest first. v26.0's and v27.0's end dates are not published yet. */
export const GRAPH_VERSIONS: GraphVersion[] = [
	{ version: 'v27.0', released: '2026-11-04' },
	{ version: 'v26.0', released: '2026-07-29' },
	{ version: 'v25.0', released: '2026-02-18', availableUntil: '2028-07-29' },
	{ version: 'v24.0', released: '2025-10-08', availableUntil: '2028-02-18' },
	{ version: 'v23.0', released: '2025-05-29', availableUntil: '2027-10-08' },
	{ version: 'v22.0', released: '2025-01-21', availableUntil: '2027-05-20' },
	{ version: 'v21.0', released: '2024-10-02', availableUntil: '2027-01-21' },
];

/** Versions Meta no longer serves as themselves (calls fall through to the oldest live version). */
export const EXPIRED_GRAPH_VERSIONS: GraphVersion[] = [
	{ version: 'v20.0', released: '2024-05-21', availableUntil: '2026-09-24' },
	{ version: 'v19.0', released: '2024-01-23', availableUntil: '2026-05-21' },
];

/** The newest stable version: the credential's default and the fallback for a credential without one. */
export const DEFAULT_GRAPH_VERSION = 'v27.0';

export const WARN_DAYS_BEFORE_END = 90;
const DAY_MS = 86_400_000;

/** A warning when `version` ends within 90 days (or has ended), else undefined. */
export function graphVersionWarning(version: string, now: Date): string | undefined {
	const known = [...GRAPH_VERSIONS, ...EXPIRED_GRAPH_VERSIONS].find((v) => v.version === version);
	if (!known) {
		return `Graph API ${version} is not a version this package knows; choose ${DEFAULT_GRAPH_VERSION} or another listed version.`;
	}
	if (!known.availableUntil) return undefined;
	const end = Date.parse(`${known.availableUntil}T00:00:00Z`);
	const days = Math.ceil((end - now.getTime()) / DAY_MS);
	if (days > WARN_DAYS_BEFORE_END) return undefined;
	const newer = `choose ${DEFAULT_GRAPH_VERSION} in the credential`;
	if (days <= 0) {
		return `Graph API ${version} ended on ${known.availableUntil}: Meta now answers with the oldest live version instead, so behaviour may change without an error; ${newer}.`;
	}
	return `Graph API ${version} ends on ${known.availableUntil} (in ${days} day${days === 1 ? '' : 's'}); after that Meta silently answers with the oldest live version: ${newer}.`;
}
