import { PayloadError } from './event';
import { isObject, type JsonObject } from './values';

/**
 * Turns what arrived as the request body into the JSON object a parser reads: an already parsed object
 * (application/json, urlencoded fields), or JSON text (text/plain, a form field, an uploaded part).
 */
export function jsonObjectFrom(body: unknown, what = 'Body'): JsonObject {
	let value = Buffer.isBuffer(body) ? body.toString('utf8') : body;
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw new PayloadError(`${what} is empty`);
	}
	if (typeof value === 'string') {
		const parsed = parseJson(value.replace(/^\uFEFF/, ''));
		if ('error' in parsed) throw new PayloadError(`${what} is not valid JSON: ${parsed.error}`);
		value = parsed.value;
	}
	if (!isObject(value)) throw new PayloadError(`${what} must be a JSON object`);
	if (Object.keys(value).length === 0) throw new PayloadError(`${what} is empty`);
	return value;
}

function parseJson(source: string): { value: unknown } | { error: string } {
	try {
		return { value: JSON.parse(source) };
	} catch (error) {
		return { error: (error as Error).message };
	}
}
