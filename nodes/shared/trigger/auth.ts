import { timingSafeEqual } from 'crypto';
import type { IWebhookFunctions } from 'n8n-workflow';

export interface AuthFailure {
	status: 401 | 403;
	message: string;
}

function sameSecret(given: string, expected: string): boolean {
	const a = Buffer.from(given);
	const b = Buffer.from(expected);
	return a.length === b.length && timingSafeEqual(a, b);
}

/** `Authorization: Basic base64(user:password)`, as Sonarr and Radarr send it; null when absent or malformed. */
function basicCredentials(header: unknown): { user: string; password: string } | null {
	if (typeof header !== 'string') return null;
	const match = /^\s*basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
	if (!match) return null;
	// Sonarr and Radarr encode user:password as ISO-8859-1; for ASCII secrets that is the same as UTF-8.
	const decoded = Buffer.from(match[1], 'base64').toString('latin1');
	const colon = decoded.indexOf(':');
	return colon < 0 ? null : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function checkBasicAuth(context: IWebhookFunctions): Promise<AuthFailure | null> {
	const expected = await context.getCredentials<{ user: string; password: string }>(
		'httpBasicAuth',
	);
	const given = basicCredentials(context.getHeaderData().authorization);
	if (given === null) {
		return {
			status: 401,
			message: 'Authorization required: send the user name and password as HTTP Basic auth',
		};
	}
	// Both compared, so the answer takes as long whichever of the two is wrong.
	const userMatches = sameSecret(given.user, expected.user ?? '');
	const passwordMatches = sameSecret(given.password, expected.password ?? '');
	if (!userMatches || !passwordMatches) {
		return { status: 403, message: 'Authorization failed: wrong user name or password' };
	}
	return null;
}

/** Checks the request against the trigger's Authentication setting; null means it may pass. */
export async function checkInboundAuth(context: IWebhookFunctions): Promise<AuthFailure | null> {
	const method = context.getNodeParameter('authentication', 'none') as string;
	if (method === 'none') return null;
	if (method === 'basicAuth') return await checkBasicAuth(context);

	const isHeader = method === 'headerAuth';
	const credentials = await context.getCredentials<{ name: string; value: string }>(
		isHeader ? 'httpHeaderAuth' : 'httpQueryAuth',
	);
	const name = credentials.name;
	const given = isHeader
		? context.getHeaderData()[name.toLowerCase()]
		: (context.getQueryData() as Record<string, unknown>)[name];
	const where = isHeader ? `header "${name}"` : `query parameter "${name}"`;
	if (typeof given !== 'string' || given === '') {
		return { status: 401, message: `Authorization required: send the secret in ${where}` };
	}
	if (!sameSecret(given, credentials.value)) {
		return { status: 403, message: `Authorization failed: wrong secret in ${where}` };
	}
	return null;
}
