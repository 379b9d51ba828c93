import type { ParseContext } from '../../nodes/core/event';
import { isObject, type JsonObject } from '../../nodes/core/values';

/** A fixed receipt time, so expected events can be written out in full. */
export const RECEIVED_AT = '2024-06-01T12:00:00.000Z';

export function context(extra: Partial<ParseContext> = {}): ParseContext {
	return { receivedAt: new Date(RECEIVED_AT), ...extra };
}

/**
 * Renders a Tautulli JSON template the way Tautulli's webhook agent does: the template is parsed as JSON and
 * every `{placeholder}` inside a string value is replaced by the parameter's text, so all values arrive as
 * strings. An unknown placeholder fails the test, as a missing parameter fails in Tautulli.
 */
export function renderTautulli(template: string, values: Record<string, string>): JsonObject {
	const fill = (node: unknown): unknown => {
		if (typeof node === 'string') {
			return node.replace(/\{(\w+)\}/g, (_, name: string) => {
				if (!(name in values)) throw new Error(`No value for Tautulli placeholder {${name}}`);
				return values[name];
			});
		}
		if (Array.isArray(node)) return node.map(fill);
		if (isObject(node))
			return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
		return node;
	};
	const rendered = fill(JSON.parse(template));
	if (!isObject(rendered)) throw new Error('Template is not a JSON object');
	return rendered;
}
