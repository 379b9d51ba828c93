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

/** Checks the request against the trigger's Authentication setting; null means it may pass. */
export async function checkInboundAuth(context: IWebhookFunctions): Promise<AuthFailure | null> {
	const method = context.getNodeParameter('authentication', 'none') as string;
	if (method === 'none') return null;

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
