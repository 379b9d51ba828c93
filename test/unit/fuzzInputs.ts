/**
 * Inputs for the property-based fuzz tests: real fixtures with a few random mutations, and fully random JSON.
 * Mutations are drawn as small plans (which node, what to do, which value) and applied to a fresh parse of the
 * fixture text, which keeps each case cheap enough for 100,000 runs per parser.
 */
import fc from 'fast-check';
import { isObject } from '../../nodes/core/values';
import { fixtureFiles, fixtureText } from '../fixtures/load';

/** Keys every object inherits, as a sender can put them in JSON (JSON.parse makes them own keys). */
export const INHERITED_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

/** How fast-check prints a value in a counterexample: its own printer would overflow the stack on these. */
function named(value: object, name: string): object {
	Object.defineProperty(value, fc.toStringMethod, { value: () => `<${name}>` });
	return value;
}

const HUGE_TEXT = 'x'.repeat(200_000);
const DEPTH = 50_000;
// Built once and shared: a body can nest far deeper than any stack (JSON.parse itself copes with it).
const DEEP_ARRAY = named(
	JSON.parse('['.repeat(DEPTH) + ']'.repeat(DEPTH)),
	`${DEPTH} nested arrays`,
);
const DEEP_OBJECT = named(
	JSON.parse('{"a":'.repeat(DEPTH) + '{}' + '}'.repeat(DEPTH)),
	`${DEPTH} nested objects`,
);
const POLLUTING_OBJECT: unknown = deepFrozen(
	JSON.parse(
		'{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"toString":"x"}',
	),
);

/** Values a sender can put anywhere: wrong types, edges of the right types, text that trips parsers. */
const edgeValues = fc.constantFrom<unknown>(
	null,
	true,
	false,
	0,
	1,
	-1,
	0.5,
	1e21,
	-1e21,
	Number.MAX_VALUE,
	-Number.MAX_VALUE,
	2 ** 53 + 1,
	'',
	' ',
	'0',
	'1',
	'-1',
	'true',
	'False',
	'NaN',
	'Infinity',
	'1e400',
	'1e20',
	'9'.repeat(400),
	'\uD800',
	'\uDFFF',
	'a\uD800b',
	'"',
	'\\',
	'\\"',
	'\u0000',
	'\n\t',
	'{action}',
	'{user_id}',
	'tautulli.{action}',
	'N/A',
	'2024-02-30',
	'2024-06-01T11:58:30.123456',
	'+275760-09-13T00:00:00.000Z',
	'-271821-04-20',
	'275761-01-01',
	'99999999999',
	'com.plexapp.agents.thetvdb://73871/2/15?lang=en',
	'com.plexapp.agents.constructor://1',
	'__proto__://x',
	'plex://movie/5d776',
	'/tv/Show/Season 01/a.mkv',
	'C:\\testpath',
	'\\\\nas\\media',
	'/'.repeat(64),
	HUGE_TEXT,
	[],
	{},
	[null],
	[{}],
	DEEP_ARRAY,
	DEEP_OBJECT,
	POLLUTING_OBJECT,
	...INHERITED_KEYS,
);

/**
 * UTF-16 code units, lone surrogates included, and the characters that need escaping in JSON. (fast-check's
 * `binary` unit builds a table of every code point first, which costs seconds per arbitrary.)
 */
const codeUnit = fc.oneof(
	fc.constantFrom('\uD800', '\uDFFF', '"', '\\', '\u0000', '\n', '\u2028', '{', '}', '/'),
	fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
);
export const anyText = (maxLength: number) => fc.string({ unit: codeUnit, maxLength });

/** Any JSON value, small, its strings from all of UTF-16. */
export const randomJson = fc.jsonValue({ maxDepth: 2, stringUnit: codeUnit });

export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
	{ weight: 4, arbitrary: edgeValues },
	{ weight: 1, arbitrary: anyText(12) },
	{ weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
	{ weight: 1, arbitrary: fc.integer() },
	{ weight: 1, arbitrary: randomJson },
);

type Container = Record<string, unknown> | unknown[];

/** The own keys of an object or the indexes of an array; [] for anything else. */
function childKeys(node: unknown): Array<string | number> {
	if (Array.isArray(node)) return node.map((_, index) => index);
	return isObject(node) ? Object.keys(node) : [];
}

/** The keys from the root to the node a mutation works on: `depth` steps, each picking a child by `at`. */
function pathTo(root: unknown, at: number, depth: number): Array<string | number> {
	const path: Array<string | number> = [];
	let node = root;
	for (let level = 0; level < depth; level++) {
		const keys = childKeys(node);
		if (keys.length === 0) break;
		const key = keys[Math.floor(at / 61 ** level) % keys.length];
		path.push(key);
		node = (node as Record<string, unknown>)[key];
	}
	return path;
}

/** Sets an own key the way JSON.parse does, also for `__proto__`. */
function setOwn(target: Container, key: string | number, value: unknown): void {
	if (key === '__proto__') {
		Object.defineProperty(target, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	} else (target as Record<string, unknown>)[key] = value;
}

/** A shallow copy; spreading defines own keys, `__proto__` included, as JSON.parse does. */
function copyOf(node: Container): Container {
	return Array.isArray(node) ? node.slice() : { ...node };
}

const DELETED = Symbol('deleted');

/**
 * The value with the node at `path` replaced by `change(node)` (DELETED removes it). Containers on the path are
 * copied once per case (`ours` holds the copies, which later mutations may change in place): the fixtures
 * themselves are frozen and shared by every case.
 */
function changedAt(
	node: unknown,
	path: Array<string | number>,
	change: (node: unknown) => unknown,
	ours: Set<unknown>,
): unknown {
	if (path.length === 0) return change(node);
	const [key, ...rest] = path;
	const copy = ours.has(node) ? (node as Container) : copyOf(node as Container);
	ours.add(copy);
	const value = changedAt((node as Record<string, unknown>)[key], rest, change, ours);
	if (value !== DELETED) setOwn(copy, key, value);
	else if (Array.isArray(copy)) copy.splice(key as number, 1);
	else delete copy[key];
	return copy;
}

type Mutation = { at: number; depth: number } & (
	| { kind: 'delete' }
	| { kind: 'replace'; value: unknown }
	| { kind: 'corpus'; pick: number }
	| { kind: 'addKey'; key: string; value: unknown }
	| { kind: 'wrap'; inArray: boolean }
);

function mutationOf(keys: string[]): fc.Arbitrary<Mutation> {
	// Below the root: a body that is not an object comes from the random inputs of bodyInput.
	const where = { at: fc.nat(), depth: fc.integer({ min: 1, max: 4 }) };
	return fc.oneof(
		fc.record({ kind: fc.constant('delete' as const), ...where }),
		fc.record({ kind: fc.constant('replace' as const), ...where, value: nastyValue }),
		fc.record({ kind: fc.constant('corpus' as const), ...where, pick: fc.nat() }),
		fc.record({
			kind: fc.constant('addKey' as const),
			...where,
			key: fc.oneof(fc.constantFrom(...keys, ...INHERITED_KEYS), anyText(6)),
			value: nastyValue,
		}),
		fc.record({ kind: fc.constant('wrap' as const), ...where, inArray: fc.boolean() }),
	);
}

function applyMutation(
	root: unknown,
	mutation: Mutation,
	dictionary: unknown[],
	ours: Set<unknown>,
): unknown {
	const path = pathTo(root, mutation.at, mutation.depth);
	const change = (how: (node: unknown) => unknown) => changedAt(root, path, how, ours);
	switch (mutation.kind) {
		case 'delete':
			return path.length === 0 ? {} : change(() => DELETED);
		case 'replace':
			return change(() => mutation.value);
		case 'corpus':
			return change(() => dictionary[mutation.pick % dictionary.length]);
		case 'addKey':
			return change((node) => {
				if (!isObject(node)) return node;
				const copy = ours.has(node) ? node : copyOf(node);
				ours.add(copy);
				setOwn(copy, mutation.key, mutation.value);
				return copy;
			});
		case 'wrap':
			return change((node) => (mutation.inArray ? [node] : { value: node }));
	}
}

/** Freezes a JSON value all the way down, so a parser that writes into its input fails. */
function deepFrozen<T>(value: T): T {
	for (const key of childKeys(value)) deepFrozen((value as Record<string, unknown>)[key]);
	return Object.freeze(value);
}

/** A fixture set: the texts as stored, the keys and scalar values they use (a dictionary for mutations). */
export interface Corpus {
	texts: string[];
	/** The texts that are JSON, parsed and frozen. */
	bodies: unknown[];
	keys: string[];
	values: unknown[];
}

/** The fixtures of these folders, but the files in `skip`. */
export function fixtureCorpus(folders: string[], skip: string[] = []): Corpus {
	return corpusFrom(
		folders.flatMap((folder) =>
			fixtureFiles(folder)
				.filter((file) => !skip.includes(file))
				.map((file) => fixtureText(folder, file)),
		),
	);
}

export function corpusFrom(texts: string[]): Corpus {
	const bodies: unknown[] = [];
	const keys = new Set<string>();
	const values = new Set<unknown>();
	for (const text of texts) {
		let parsed: unknown;
		try {
			parsed = JSON.parse(text);
		} catch {
			continue;
		}
		bodies.push(deepFrozen(parsed));
		const collect = (node: unknown) => {
			for (const key of childKeys(node)) {
				if (typeof key === 'string') keys.add(key);
				const value = (node as Record<string, unknown>)[key];
				if (typeof value !== 'object' || value === null) values.add(value);
				else collect(value);
			}
		};
		collect(parsed);
	}
	return { texts, bodies, keys: [...keys].sort(), values: [...values] };
}

/** A real fixture, parsed, with one to three mutations. */
export function mutatedFixture(corpus: Corpus, extraValues: unknown[] = []): fc.Arbitrary<unknown> {
	const dictionary = [...corpus.values, ...extraValues];
	return fc
		.record({
			fixture: fc.nat({ max: corpus.bodies.length - 1 }),
			mutations: fc.array(mutationOf(corpus.keys), { minLength: 1, maxLength: 3 }),
		})
		.map(({ fixture, mutations }) => {
			const ours = new Set<unknown>();
			return mutations.reduce(
				(body, mutation) => applyMutation(body, mutation, dictionary, ours),
				corpus.bodies[fixture],
			);
		});
}

/** A real fixture's text, cut short or with a few characters spliced in (a BOM, a quote, a lone surrogate). */
export function mutatedText(corpus: Corpus): fc.Arbitrary<string> {
	return fc
		.record({
			fixture: fc.nat({ max: corpus.texts.length - 1 }),
			cut: fc.nat(),
			splice: fc.option(
				fc.record({
					at: fc.nat(),
					text: fc.oneof(
						fc.constantFrom('\uFEFF', '"', '\\', '\uD800', '}', ']', ',', '{', 'null', '\u0000'),
						anyText(4),
					),
				}),
			),
		})
		.map(({ fixture, cut, splice }) => {
			const text = corpus.texts[fixture];
			const cutText = cut % 2 === 0 ? text : text.slice(0, cut % (text.length + 1));
			if (splice === null) return cutText;
			const at = splice.at % (cutText.length + 1);
			return cutText.slice(0, at) + splice.text + cutText.slice(at);
		});
}

/** An object of fields the parser knows (and inherited names), each with a random value. */
export function randomBody(corpus: Corpus): fc.Arbitrary<Record<string, unknown>> {
	return fc.dictionary(fc.constantFrom(...corpus.keys, ...INHERITED_KEYS), nastyValue, {
		maxKeys: 8,
	});
}

/**
 * Whatever may arrive as a body: mostly a mutated fixture as an object, else as text or bytes, random JSON or
 * anything. (The body reader's own test feeds text and random values at full volume.)
 */
export function bodyInput(corpus: Corpus, extraValues: unknown[] = []): fc.Arbitrary<unknown> {
	const mutated = mutatedFixture(corpus, extraValues);
	return fc.oneof(
		{ weight: 12, arbitrary: mutated },
		{
			weight: 1,
			arbitrary: mutated.map((body) => {
				try {
					return JSON.stringify(body);
				} catch {
					return body; // too deep for JSON.stringify: sent as the object instead
				}
			}),
		},
		{
			weight: 1,
			arbitrary: fc
				.tuple(mutatedText(corpus), fc.boolean())
				.map(([text, asBytes]) => (asBytes ? Buffer.from(text, 'utf8') : text)),
		},
		{ weight: 1, arbitrary: randomBody(corpus) },
		{ weight: 1, arbitrary: randomJson },
		{ weight: 1, arbitrary: fc.anything() },
	);
}

const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype];

/** Every property of the built-in prototypes a payload could reach, by identity. */
export function prototypeSnapshot(): unknown[] {
	return PROTOTYPES.flatMap((prototype) =>
		Object.getOwnPropertyNames(prototype).flatMap((name) => {
			const descriptor = Object.getOwnPropertyDescriptor(prototype, name);
			return [name, descriptor?.value, descriptor?.get, descriptor?.set];
		}),
	);
}

/** Throws when a built-in prototype gained, lost or swapped a property since `before`. */
export function assertPrototypesUnchanged(before: unknown[]): void {
	const now = prototypeSnapshot();
	if (now.length !== before.length || now.some((entry, index) => entry !== before[index])) {
		throw new Error('A built-in prototype changed');
	}
}

/** Cheap enough for every case: pollution by assignment adds enumerable keys every object then shows. */
export function assertNothingInherited(): void {
	for (const key in {}) throw new Error(`Object.prototype gained "${key}"`);
	for (const key in []) throw new Error(`Array.prototype gained "${key}"`);
	if (({} as Record<string, unknown>).polluted !== undefined) throw new Error('{}.polluted is set');
}

/**
 * What `run` returns, or undefined when it threw one of the product's own typed errors (a PayloadError is
 * answered 400, a TemplateError or PathMappingError fails the item with its message); anything else fails the
 * case.
 */
export function unlessTypedError<T>(
	run: () => T,
	typed: Array<new (...args: never[]) => Error>,
): T | undefined {
	try {
		return run();
	} catch (error) {
		if (typed.some((type) => error instanceof type)) return undefined;
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- a test: the error is the finding
		throw error;
	}
}
