/**
 * The two event schemas as the README documents them ("The normalized media event", "Sonarr and Radarr events"),
 * written out here from the README rather than imported from the product's constants, so an output the README
 * does not describe fails. Rules beyond the tables that the README states: every field is present ("missing
 * values are null, never absent"), nothing else is, and provider ids have lower-case keys and string values.
 * A string field that may be null holds text (a missing value is null, not ""); numbers are finite, as JSON
 * can carry them.
 */

/**
 * The problems of one value, [] when it fits. Each problem starts with the path below the value (`.media.ids`,
 * `[2]`, or nothing for the value itself), built only on failure: the fuzz tests check a million events.
 */
type Rule = (value: unknown) => string[];
export type EventSchema = Rule;

const ok: string[] = [];

function shown(value: unknown): string {
	if (typeof value === 'string') return JSON.stringify(value.slice(0, 60));
	if (typeof value === 'number' || typeof value === 'boolean' || value === null)
		return String(value);
	return Array.isArray(value) ? 'an array' : typeof value;
}

const fail = (want: string, value: unknown) => [`: expected ${want}, got ${shown(value)}`];

const under = (prefix: string, problems: string[]) =>
	problems.map((problem) => `${prefix}${problem}`);

const anyString: Rule = (value) => (typeof value === 'string' ? ok : fail('a string', value));

/** Text: a string with something in it (missing values are null). */
const someText: Rule = (value) =>
	typeof value === 'string' && value.trim() !== '' ? ok : fail('non-empty text', value);

const finiteNumber: Rule = (value) =>
	typeof value === 'number' && Number.isFinite(value) ? ok : fail('a finite number', value);

const boolean: Rule = (value) => (typeof value === 'boolean' ? ok : fail('a boolean', value));

/** `Date.prototype.toISOString` output: UTC with milliseconds (six-digit years for the far past and future). */
const isoTime: Rule = (value) =>
	typeof value === 'string' &&
	/^([+-]\d{6}|\d{4})-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(value) &&
	new Date(value).toISOString() === value
		? ok
		: fail('an ISO time in UTC', value);

const oneOf =
	(...allowed: string[]): Rule =>
	(value) =>
		typeof value === 'string' && allowed.includes(value)
			? ok
			: fail(`one of ${allowed.join(', ')}`, value);

const nullable =
	(rule: Rule): Rule =>
	(value) =>
		value === null ? ok : rule(value);

const between =
	(low: number, high: number): Rule =>
	(value) =>
		typeof value === 'number' && value >= low && value <= high
			? ok
			: fail(`a number in ${low}..${high}`, value);

function isPlainObject(value: unknown): value is Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
	const prototype = Object.getPrototypeOf(value) as unknown;
	return prototype === Object.prototype || prototype === null;
}

/** An object with exactly these keys (own, enumerable), each fitting its rule. */
const exactly = (shape: Record<string, Rule>): Rule => {
	const keys = Object.keys(shape);
	return (value) => {
		if (!isPlainObject(value)) return fail('a plain object', value);
		let problems = ok;
		for (const key of Object.keys(value)) {
			if (!Object.prototype.hasOwnProperty.call(shape, key))
				problems = [...problems, `.${key}: not in the schema`];
		}
		for (const key of keys) {
			if (!Object.prototype.hasOwnProperty.call(value, key)) {
				problems = [...problems, `.${key}: absent`];
				continue;
			}
			const found = shape[key](value[key]);
			if (found.length > 0) problems = [...problems, ...under(`.${key}`, found)];
		}
		return problems;
	};
};

const listOf =
	(rule: Rule): Rule =>
	(value) =>
		Array.isArray(value)
			? value.flatMap((entry, index) => {
					const found = rule(entry);
					return found.length === 0 ? found : under(`[${index}]`, found);
				})
			: fail('an array', value);

/** Provider ids: lower-case keys, text values. */
const providerIds: Rule = (value) => {
	if (!isPlainObject(value)) return fail('an object of provider ids', value);
	let problems = ok;
	for (const [key, id] of Object.entries(value)) {
		if (key !== key.toLowerCase() || key.trim() === '')
			problems = [...problems, `: key ${shown(key)} is not a lower-case provider name`];
		const found = someText(id);
		if (found.length > 0) problems = [...problems, ...under(`.${key}`, found)];
	}
	return problems;
};

const mediaItem = (types: Rule): Rule =>
	exactly({
		type: types,
		id: nullable(someText),
		title: nullable(someText),
		year: nullable(finiteNumber),
		series: nullable(
			exactly({ id: nullable(someText), title: nullable(someText), ids: providerIds }),
		),
		seasonNumber: nullable(finiteNumber),
		episodeNumber: nullable(finiteNumber),
		episodeNumberEnd: nullable(finiteNumber),
		ids: providerIds,
		library: nullable(exactly({ id: nullable(someText), name: nullable(someText) })),
		path: nullable(someText),
	});

/** README "The normalized media event", for the trigger of `source`. */
export function mediaEventSchema(source: string): Rule {
	return exactly({
		source: oneOf(source),
		event: oneOf(
			'play',
			'pause',
			'resume',
			'stop',
			'progress',
			'watched',
			'unwatched',
			'added',
			'rated',
			'test',
			'other',
		),
		rawEvent: anyString,
		reason: nullable(someText),
		receivedAt: isoTime,
		occurredAt: nullable(isoTime),
		server: exactly({
			id: nullable(someText),
			name: nullable(someText),
			version: nullable(someText),
		}),
		user: nullable(exactly({ id: nullable(someText), name: nullable(someText) })),
		player: nullable(
			exactly({
				device: nullable(someText),
				client: nullable(someText),
				address: nullable(someText),
				local: nullable(boolean),
			}),
		),
		media: nullable(
			mediaItem(oneOf('movie', 'episode', 'season', 'series', 'track', 'album', 'other')),
		),
		playback: nullable(
			exactly({
				positionMs: nullable(finiteNumber),
				durationMs: nullable(finiteNumber),
				progress: nullable(between(0, 1)),
				paused: nullable(boolean),
				completed: nullable(boolean),
			}),
		),
		played: nullable(boolean),
		rating: nullable(finiteNumber),
		favorite: nullable(boolean),
		liked: nullable(boolean),
	});
}

/** README "Sonarr and Radarr events". */
export const servarrEventSchema: Rule = exactly({
	source: nullable(oneOf('sonarr', 'radarr')),
	event: oneOf(
		'grab',
		'import',
		'upgrade',
		'rename',
		'fileDelete',
		'delete',
		'added',
		'health',
		'healthRestored',
		'test',
		'other',
	),
	rawEvent: anyString,
	receivedAt: isoTime,
	instanceName: nullable(someText),
	applicationUrl: nullable(someText),
	media: nullable(mediaItem(oneOf('episode', 'series', 'movie'))),
	episodes: listOf(
		exactly({
			seasonNumber: nullable(finiteNumber),
			episodeNumber: nullable(finiteNumber),
			title: nullable(someText),
			airDate: nullable(someText),
			ids: providerIds,
		}),
	),
	folder: nullable(someText),
	files: listOf(
		exactly({
			path: someText,
			previousPath: nullable(someText),
			change: oneOf('created', 'modified', 'deleted'),
		}),
	),
	quality: nullable(someText),
	size: nullable(finiteNumber),
	indexer: nullable(someText),
	releaseTitle: nullable(someText),
	downloadClient: nullable(someText),
	deleteReason: nullable(someText),
	message: nullable(someText),
	health: nullable(
		exactly({ level: nullable(someText), type: nullable(someText), wikiUrl: nullable(someText) }),
	),
});

/** The schema's complaints about `event`, [] when it fits. */
export function schemaProblems(schema: Rule, event: unknown): string[] {
	return under('event', schema(event));
}
