/**
 * Property-based fuzzing of the Media Template renderer and the JSON checker it reports errors with. New cases
 * every run; a failure prints fast-check's seed and path to replay it (`{ seed, path }` in fc.assert's options).
 */
import fc from 'fast-check';
import { jsonSyntaxError } from '../../nodes/core/jsonSyntax';
import { PLACEHOLDER_NAMES, renderTemplate, TemplateError } from '../../nodes/core/template';
import { anyText, INHERITED_KEYS, nastyValue, randomJson, unlessTypedError } from './fuzzInputs';

/** The JSON checker parses text like the webhook parsers; rendering costs more per case, so it runs fewer. */
const CHECKER_RUNS = 100_000;
const RENDER_RUNS = 20_000;

/** Field names a placeholder can spell (template.ts NAME), but none of its named placeholders. */
const fieldName = fc
	.oneof(
		fc.constantFrom(...INHERITED_KEYS, 'media', 'files', 'a-b', '_'),
		fc.string({ unit: fc.constantFrom(...'aZ_-09'), maxLength: 6 }).map((rest) => `f${rest}`),
	)
	.filter((name) => !PLACEHOLDER_NAMES.includes(name));

/** Template text outside placeholders: any characters but braces, written as the inside of a JSON string. */
const literal = anyText(6).map((text) => JSON.stringify(text.replace(/[{}]/g, '')).slice(1, -1));

/** Values as a JSON round trip leaves them (no -0), which is what an n8n item holds. */
const itemValue = fc
	.oneof(randomJson, anyText(8))
	.map((value) => JSON.parse(JSON.stringify(value)) as unknown);

/** A placeholder inside a JSON string with literal text around it, or standing alone as a value. */
const slot = fc.record({
	inString: fc.boolean(),
	before: literal,
	after: literal,
	field: fieldName,
	/** The item has no such field. */
	missing: fc.boolean(),
});

/** Deep equality as JSON sees it (cheaper than expect's, which matters at these volumes). */
function expectSame(actual: unknown, expected: unknown): void {
	const [a, b] = [JSON.stringify(actual), JSON.stringify(expected)];
	if (a !== b) throw new Error(`got ${a}, expected ${b}`);
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	Object.defineProperty(target, key, {
		value,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

describe(`the Media Template renderer, ${RENDER_RUNS} cases each`, () => {
	test('JSON mode: a JSON template with placeholders in string and value positions gives the fields back', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(slot, itemValue), { minLength: 1, maxLength: 5 }), (slots) => {
				const item: Record<string, unknown> = {};
				for (const [{ field, missing }, value] of slots) {
					if (!missing && !Object.prototype.hasOwnProperty.call(item, field))
						setOwn(item, field, value);
				}
				const template = `{${slots
					.map(([entry], index) => {
						const placeholder = `{{${entry.field}}}`;
						const value = entry.inString
							? `"${entry.before}${placeholder}${entry.after}"`
							: placeholder;
						return `"k${index}": ${value}`;
					})
					.join(', ')}}`;
				const rendered = renderTemplate(template, item, 'json');

				const expected: Record<string, unknown> = {};
				slots.forEach(([entry], index) => {
					const found = Object.prototype.hasOwnProperty.call(item, entry.field)
						? item[entry.field]
						: null;
					const value = found === '' ? null : found;
					const asText =
						value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
					expected[`k${index}`] = entry.inString
						? `${JSON.parse(`"${entry.before}"`)}${asText}${JSON.parse(`"${entry.after}"`)}`
						: value;
				});
				expectSame(rendered.body, expected);
				const missing = slots
					.filter(([entry]) => !Object.prototype.hasOwnProperty.call(item, entry.field))
					.map(([entry]) => entry.field);
				expectSame([...new Set(missing)].sort(), [...rendered.unknown].sort());
			}),
			{ numRuns: RENDER_RUNS },
		);
	});

	test('any template and item: text, a parsed JSON body, or a TemplateError', () => {
		const piece = fc.oneof(
			anyText(4),
			fc.constantFrom('{{', '}}', '"', '\\', '{', '}', '[', ']', ',', ':', 'null', '|', "'"),
			fieldName.map((name) => `{{${name}}}`),
			fc.tuple(fieldName, fieldName).map(([a, b]) => `{{${a}.${b}|'x"y'}}`),
			fc.constantFrom(...PLACEHOLDER_NAMES).map((name) => `{{${name}}}`),
		);
		const template = fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join(''));
		const item = fc.dictionary(fieldName, nastyValue, { maxKeys: 6 });
		fc.assert(
			fc.property(
				template,
				item,
				fc.constantFrom('json' as const, 'text' as const),
				(text, fields, mode) => {
					const rendered = unlessTypedError(
						() => renderTemplate(text, fields, mode),
						[TemplateError],
					);
					if (rendered === undefined) return;
					expectSame(rendered.body, mode === 'json' ? JSON.parse(rendered.text) : rendered.text);
				},
			),
			{ numRuns: RENDER_RUNS },
		);
	});
});

test(`the JSON checker agrees with JSON.parse, ${CHECKER_RUNS} texts`, () => {
	const json = fc.jsonValue({ maxDepth: 2 }).map((value) => JSON.stringify(value, null, 1));
	const text = fc.oneof(
		json,
		fc
			.tuple(
				json,
				fc.nat(),
				fc.oneof(
					anyText(3),
					fc.constantFrom('"', '\\', ',', '}', ']', 'e', '-', '.', ' ', '\\u00'),
				),
			)
			.map(([source, at, insert]) => {
				const cut = at % (source.length + 1);
				return source.slice(0, cut) + insert + source.slice(cut + (at % 3));
			}),
		anyText(10),
	);
	fc.assert(
		fc.property(text, (source) => {
			let parses = true;
			try {
				JSON.parse(source);
			} catch {
				parses = false;
			}
			const error = jsonSyntaxError(source);
			if ((error === null) !== parses) {
				throw new Error(
					`JSON.parse ${parses ? 'takes' : 'rejects'} it, the checker says ${error?.reason}`,
				);
			}
			if (error !== null && !(error.offset >= 0 && error.offset <= source.length)) {
				throw new Error(`offset ${error.offset} is outside the text`);
			}
		}),
		{ numRuns: CHECKER_RUNS },
	);
});
