/**
 * Notification templates with `{{placeholders}}`, filled from a media event or a Sonarr/Radarr event. Data
 * lookups only: no eval, no Function, no expression language. In JSON mode strings are escaped where they land
 * inside a JSON string, and a placeholder that stands alone as a value keeps its type (numbers, booleans unquoted).
 * Pure code, no n8n imports.
 */
import { jsonSyntaxError, lineAndColumn } from './jsonSyntax';
import { isObject, num, objectAt, text, type JsonObject } from './values';

export type TemplateMode = 'json' | 'text';

type Value = string | number | boolean | null | JsonObject | unknown[];

/** Human-readable bytes, as Kino's `{{size}}`: 1.4 GB. */
export function formatSize(bytes: number | null): string | null {
	if (bytes === null || bytes < 0) return null;
	const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
	let value = bytes;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

const pad = (value: number) => String(value).padStart(2, '0');

/** One line about the item or the message: `Severance S02E03 Who Is Alive? (2022)`. */
function summary(item: JsonObject): string | null {
	const media = objectAt(item.media);
	if (media === null) return text(item.message) ?? text(item.event);
	const title = text(media.title);
	const show = text(objectAt(media.series)?.title);
	const year = num(media.year);
	const season = num(media.seasonNumber);
	const episode = num(media.episodeNumber);
	const code = season !== null && episode !== null ? ` S${pad(season)}E${pad(episode)}` : '';
	const name = show !== null ? `${show}${code}${title ? ` ${title}` : ''}` : (title ?? '');
	return `${name}${year !== null ? ` (${year})` : ''}`.trim() || null;
}

function mediaOf(item: JsonObject): JsonObject {
	return objectAt(item.media) ?? {};
}

/** Kino's placeholders, and a few more, read from either event schema (the README's mapping table). */
const NAMED = new Map<string, (item: JsonObject) => Value>([
	['event', (item) => text(item.event)],
	['title', (item) => text(mediaOf(item).title)],
	['show', (item) => text(objectAt(mediaOf(item).series)?.title)],
	['season', (item) => num(mediaOf(item).seasonNumber)],
	['episode', (item) => num(mediaOf(item).episodeNumber)],
	['quality', (item) => text(item.quality)],
	['year', (item) => num(mediaOf(item).year)],
	['size', (item) => formatSize(num(item.size))],
	['indexer', (item) => text(item.indexer)],
	['message', (item) => text(item.message)],
	['movie_id', (item) => (text(mediaOf(item).type) === 'movie' ? text(mediaOf(item).id) : null)],
	[
		'episode_id',
		(item) => (text(mediaOf(item).type) === 'episode' ? text(mediaOf(item).id) : null),
	],
	['summary', summary],
	['user', (item) => text(objectAt(item.user)?.name)],
	['source', (item) => text(item.source)],
	['size_bytes', (item) => num(item.size)],
]);

export const PLACEHOLDER_NAMES = [...NAMED.keys()];

function own(object: unknown, key: string): { found: boolean; value: unknown } {
	if (Array.isArray(object) && /^\d+$/.test(key)) {
		const index = Number(key);
		return { found: index < object.length, value: object[index] };
	}
	if (isObject(object) && Object.prototype.hasOwnProperty.call(object, key)) {
		return { found: true, value: object[key] };
	}
	return { found: false, value: undefined };
}

/**
 * A placeholder's value. A bare name is one of the names above, else a top-level field; a dotted name is a path
 * into the item (`media.ids.tmdb`, `files.0.path`). Own properties only. `known` is false when the name means
 * nothing for this item: its first segment is neither a name above nor a field of the item.
 */
function lookUp(item: JsonObject, name: string): { known: boolean; value: Value } {
	const named = NAMED.get(name);
	if (named) return { known: true, value: named(item) };
	const [first, ...rest] = name.split('.');
	let current = own(item, first);
	if (!current.found) return { known: false, value: null };
	for (const segment of rest) {
		current = own(current.value, segment);
		if (!current.found) return { known: true, value: null };
	}
	return { known: true, value: (current.value ?? null) as Value };
}

function empty(value: Value): boolean {
	return value === null || value === '';
}

interface Alternative {
	literal?: string;
	name?: string;
}

/** `show|title|'untitled'`: names tried in turn, a quoted literal as the last resort. */
function alternatives(expression: string): Alternative[] {
	return expression.split('|').map((part) => {
		const trimmed = part.trim();
		const quoted = /^(['"])(.*)\1$/s.exec(trimmed);
		return quoted ? { literal: quoted[2] } : { name: trimmed };
	});
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;
const PLACEHOLDER = /\{\{([^{}]*)\}\}/y;

export class TemplateError extends Error {
	constructor(
		message: string,
		readonly line: number,
		readonly column: number,
		readonly placeholder: string | null,
	) {
		super(message);
		this.name = 'TemplateError';
	}
}

export interface Rendered {
	/** The parsed object in JSON mode, the string in Text mode. */
	body: unknown;
	text: string;
	/** Placeholders that name nothing on this item (rendered empty). */
	unknown: string[];
}

interface Substitution {
	placeholder: string;
	templateOffset: number;
	start: number;
	end: number;
}

function asText(value: Value): string {
	if (value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean') return String(value);
	return JSON.stringify(value);
}

function asJsonValue(value: Value): string {
	if (value === null) return 'null';
	return JSON.stringify(value);
}

/**
 * Fills the template. JSON mode parses the result and fails with the line and column of the first error, in the
 * template and in the rendered text, naming the placeholder that broke it when one did.
 */
export function renderTemplate(template: string, item: JsonObject, mode: TemplateMode): Rendered {
	let output = '';
	let inString = false;
	const unknown = new Set<string>();
	const substitutions: Substitution[] = [];
	for (let at = 0; at < template.length; ) {
		PLACEHOLDER.lastIndex = at;
		const match = template.startsWith('{{', at) ? PLACEHOLDER.exec(template) : null;
		if (match) {
			const placeholder = match[0];
			const options = alternatives(match[1]);
			let value: Value = null;
			for (const option of options) {
				if (option.literal !== undefined) {
					value = option.literal;
					break;
				}
				const name = option.name ?? '';
				const found = NAME.test(name) ? lookUp(item, name) : { known: false, value: null };
				if (!found.known) unknown.add(name);
				if (!empty(found.value)) {
					value = found.value;
					break;
				}
			}
			let rendered: string;
			try {
				rendered =
					mode === 'text'
						? asText(value)
						: inString
							? JSON.stringify(asText(value)).slice(1, -1)
							: asJsonValue(value);
			} catch (error) {
				throw unwritable(template, at, placeholder, error as Error);
			}
			substitutions.push({
				placeholder,
				templateOffset: at,
				start: output.length,
				end: output.length + rendered.length,
			});
			output += rendered;
			at += placeholder.length;
			continue;
		}
		const char = template[at];
		if (mode === 'json') {
			if (inString && char === '\\') {
				output += template.slice(at, at + 2);
				at += 2;
				continue;
			}
			if (char === '"') inString = !inString;
		}
		output += char;
		at++;
	}
	if (mode === 'text') return { body: output, text: output, unknown: [...unknown] };

	const error = jsonSyntaxError(output);
	if (error) throw locate(template, output, error.offset, error.reason, substitutions);
	return { body: JSON.parse(output) as unknown, text: output, unknown: [...unknown] };
}

/** JSON.stringify throws on what JSON cannot hold: a value nested deeper than the stack, a cycle. */
function unwritable(
	template: string,
	offset: number,
	placeholder: string,
	error: Error,
): TemplateError {
	const where = lineAndColumn(template, offset);
	return new TemplateError(
		`The value of ${placeholder} cannot be written out: ${error.message} (template line ${where.line}, column ${where.column})`,
		where.line,
		where.column,
		placeholder,
	);
}

/** The template position of a rendered offset, and the placeholder whose value reaches it, if any. */
function locate(
	template: string,
	output: string,
	offset: number,
	reason: string,
	substitutions: Substitution[],
): TemplateError {
	const inside = substitutions.find((entry) => offset >= entry.start && offset < entry.end);
	const before = [...substitutions].reverse().find((entry) => entry.end <= offset);
	const templateOffset = inside
		? inside.templateOffset
		: before
			? before.templateOffset + before.placeholder.length + (offset - before.end)
			: offset;
	const where = lineAndColumn(template, Math.min(templateOffset, template.length));
	const rendered = lineAndColumn(output, offset);
	const blame = inside ? ` at ${inside.placeholder}` : '';
	return new TemplateError(
		`The template does not give valid JSON${blame}: ${reason} at template line ${where.line}, column ${where.column} (rendered line ${rendered.line}, column ${rendered.column})`,
		where.line,
		where.column,
		inside?.placeholder ?? null,
	);
}
