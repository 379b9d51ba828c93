/**
 * Property-based fuzzing of every webhook parser: 100,000 random cases each per run, new ones every run. A
 * failure prints fast-check's seed and path; pass them as `{ seed, path }` to fc.assert to replay it.
 * Each case: the body as the trigger reads it, then the parser. The only error allowed is PayloadError (answered
 * 400); every event that comes out fits the README's schema; no built-in prototype changes.
 */
import fc from 'fast-check';
import { jsonObjectFrom } from '../../nodes/core/body';
import { PayloadError, type ParseContext } from '../../nodes/core/event';
import { parseEmby } from '../../nodes/core/parsers/emby';
import { jellyfinSessionKey, parseJellyfin } from '../../nodes/core/parsers/jellyfin';
import { kodiNotification, parseKodi, type KodiItemDetails } from '../../nodes/core/parsers/kodi';
import { parsePlex } from '../../nodes/core/parsers/plex';
import { parseServarr } from '../../nodes/core/parsers/servarr';
import { parseTautulli, tautulliPayload } from '../../nodes/core/parsers/tautulli';
import { isObject } from '../../nodes/core/values';
import {
	mediaEventSchema,
	schemaProblems,
	servarrEventSchema,
	type EventSchema,
} from './eventSchema';
import {
	anyText,
	assertNothingInherited,
	assertPrototypesUnchanged,
	bodyInput,
	corpusFrom,
	fixtureCorpus,
	mutatedFixture,
	mutatedText,
	nastyValue,
	prototypeSnapshot,
	unlessTypedError,
	type Corpus,
} from './fuzzInputs';

const RUNS = 100_000;

const prototypes = prototypeSnapshot();
afterEach(() => assertPrototypesUnchanged(prototypes));

const userAgent = fc.option(
	fc.oneof(
		fc.constantFrom(
			'PlexMediaServer/1.40.1.8227-c0dd5a73e',
			'PlexMediaServer/',
			'Sonarr/4.0.9.2244',
			'Radarr/5.10.4',
			' radarr/',
		),
		anyText(20),
	),
	{ nil: undefined },
);

/** The value, or undefined when it threw our typed error; anything else thrown fails the case. */
const unlessPayloadError = <T>(run: () => T) => unlessTypedError(run, [PayloadError]);

function expectFits(schema: EventSchema, output: unknown): void {
	const problems = schemaProblems(schema, output);
	if (problems.length > 0) throw new Error(problems.join('\n'));
	assertNothingInherited();
}

/** The body reader and parser of one trigger, fed `RUNS` random bodies. */
function fuzzParser(
	corpus: Corpus,
	extraValues: unknown[],
	read: (body: unknown) => Record<string, unknown>,
	parse: (body: Record<string, unknown>, context: ParseContext) => unknown,
	schema: EventSchema,
): void {
	fc.assert(
		fc.property(bodyInput(corpus, extraValues), userAgent, (body, agent) => {
			const event = unlessPayloadError(() =>
				parse(read(body), { receivedAt: new Date(), userAgent: agent }),
			);
			if (event !== undefined) expectFits(schema, event);
			else assertNothingInherited();
		}),
		{ numRuns: RUNS },
	);
}

// Event and type names from the README's tables that the fixtures lack, so mutations reach those branches.
const JELLYFIN_NAMES = [
	'PlaybackProgress',
	'UserDataSaved',
	'ItemAdded',
	'TogglePlayed',
	'PlaybackFinished',
	'UpdateUserRating',
	'UpdateUserData',
	'Audio',
	'MusicAlbum',
];
const EMBY_NAMES = ['playback.pause', 'playback.unpause', 'item.markunplayed', 'playback.scrobble'];
const PLEX_NAMES = [
	'media.play',
	'media.resume',
	'media.stop',
	'library.on.deck',
	'playback.started',
];
const PLEX_TYPES = ['show', 'season', 'album', 'track'];
const TAUTULLI_NAMES = ['tautulli.pause', 'tautulli.resume', 'tautulli.stop', 'tautulli.test'];
const TAUTULLI_TYPES = ['show', 'season', 'artist', 'album', 'episode', 'movie', 'data=x'];
const SERVARR_NAMES = ['SeriesAdd', 'MovieAdded', 'ApplicationUpdate', 'ManualInteractionRequired'];

describe(`each parser, ${RUNS} random bodies: only PayloadError, and events that fit the README`, () => {
	test('Jellyfin', () => {
		fuzzParser(
			fixtureCorpus(['jellyfin']),
			JELLYFIN_NAMES,
			(body) => jsonObjectFrom(body),
			(body, context) => {
				if (typeof jellyfinSessionKey(body) !== 'string') throw new Error('session key');
				return parseJellyfin(body, context);
			},
			mediaEventSchema('jellyfin'),
		);
	});

	test('Emby', () => {
		fuzzParser(
			fixtureCorpus(['emby']),
			EMBY_NAMES,
			(body) => jsonObjectFrom(body),
			parseEmby,
			mediaEventSchema('emby'),
		);
	});

	test('Plex', () => {
		fuzzParser(
			fixtureCorpus(['plex']),
			[...PLEX_NAMES, ...PLEX_TYPES],
			(body) => jsonObjectFrom(body),
			parsePlex,
			mediaEventSchema('plex'),
		);
	});

	test('Tautulli', () => {
		fuzzParser(
			fixtureCorpus(['tautulli', 'tautulli/real-v2.17.2'], ['headers.json']),
			[...TAUTULLI_NAMES, ...TAUTULLI_TYPES],
			tautulliPayload,
			parseTautulli,
			mediaEventSchema('tautulli'),
		);
	});

	test('Sonarr/Radarr', () => {
		fuzzParser(
			fixtureCorpus(['servarr']),
			SERVARR_NAMES,
			(body) => jsonObjectFrom(body),
			parseServarr,
			servarrEventSchema,
		);
	});
});

/**
 * Constructed Kodi messages (no captured socket traffic is stored as a fixture) in the shapes of
 * test/unit/kodi.test.ts, and item details as VideoLibrary.Get*Details answers them.
 */
const KODI_MESSAGES = corpusFrom(
	[
		['VideoLibrary.OnUpdate', { item: { id: 2, type: 'movie' }, playcount: 1 }],
		['VideoLibrary.OnUpdate', { item: { id: 7, type: 'episode' }, added: true }],
		['Player.OnPlay', { item: { id: 7, type: 'episode' }, player: { playerid: 1, speed: 1 } }],
		['Player.OnResume', { item: { id: 2, type: 'movie' }, player: { speed: 1 } }],
		['Player.OnPause', { item: { id: 2, type: 'movie' }, player: { speed: 0 } }],
		['Player.OnStop', { item: { title: 'clip.mkv', type: 'unknown' }, end: true }],
	].map(([method, data]) =>
		JSON.stringify({ jsonrpc: '2.0', method, params: { data, sender: 'xbmc' } }),
	),
);
const KODI_DETAILS = corpusFrom(
	[
		{
			title: 'Heat',
			year: 1995,
			uniqueid: { imdb: 'tt0113277', tmdb: '949' },
			file: '/m/Heat.mkv',
			playcount: 1,
		},
		{
			title: 'Pilot',
			season: 1,
			episode: 1,
			tvshowid: 3,
			showtitle: 'The Show',
			firstaired: '2023-04-05',
			uniqueid: { tvdb: '9100102' },
			show: { title: 'The Show', uniqueid: { TheTVDB: '91001' } },
		},
	].map((details) => JSON.stringify(details)),
);

test(`Kodi, ${RUNS} random notifications and item details: no error, events that fit the README`, () => {
	const server = { id: null, name: 'Kodi (127.0.0.1)', version: '20.1' };
	const message = fc.oneof(
		{ weight: 4, arbitrary: mutatedFixture(KODI_MESSAGES) },
		{ weight: 1, arbitrary: mutatedText(KODI_MESSAGES) },
		{ weight: 1, arbitrary: nastyValue },
	);
	const details = fc.oneof(mutatedFixture(KODI_DETAILS), nastyValue, fc.constant(null));
	const schema = mediaEventSchema('kodi');
	fc.assert(
		fc.property(message, details, (raw, found) => {
			let parsed: unknown = raw;
			if (typeof raw === 'string') {
				try {
					parsed = JSON.parse(raw);
				} catch {
					return; // the trigger drops socket messages that are not JSON
				}
			}
			const notification = kodiNotification(parsed);
			if (notification === null) return;
			// The trigger hands over what Kodi answered, an object, or null when the lookup failed.
			const item = isObject(found) ? (found as KodiItemDetails) : null;
			expectFits(schema, parseKodi(notification, item, { receivedAt: new Date(), server }));
		}),
		{ numRuns: RUNS },
	);
});

test(`the body reader, ${RUNS} random bodies: a non-empty JSON object or PayloadError`, () => {
	const texts = fixtureCorpus(['jellyfin', 'emby', 'plex', 'servarr']);
	const body = fc.oneof(
		mutatedText(texts),
		anyText(200),
		fc.anything(),
		fc.jsonValue().map((value) => JSON.stringify(value)),
		mutatedText(texts).map((text) => Buffer.from(text, 'utf8')),
	);
	fc.assert(
		fc.property(body, (input) => {
			const object = unlessPayloadError(() => jsonObjectFrom(input));
			if (object !== undefined && (!isObject(object) || Object.keys(object).length === 0)) {
				throw new Error('jsonObjectFrom returned something other than a non-empty object');
			}
			assertNothingInherited();
		}),
		{ numRuns: RUNS },
	);
});

describe('the schema the fuzz tests check against', () => {
	const event = parseJellyfin(jsonObjectFrom(fixtureCorpus(['jellyfin']).texts[0]), {
		receivedAt: new Date(),
	}) as unknown as Record<string, unknown>;
	const schema = mediaEventSchema('jellyfin');

	test('takes a real event', () => {
		expect(schemaProblems(schema, event)).toEqual([]);
	});

	test.each([
		['an event name the README does not list', { event: 'playing' }, 'event.event'],
		['another source', { source: 'emby' }, 'event.source'],
		['"" for a missing value', { reason: '' }, 'event.reason'],
		['an absent field', { rating: 'drop' }, 'event.rating: absent'],
		['an extra field', { extra: 1 }, 'event.extra: not in the schema'],
		['a number JSON cannot carry', { rating: Number.NaN }, 'event.rating'],
		['a time that is not UTC ISO', { occurredAt: '2024-06-01 12:00' }, 'event.occurredAt'],
		[
			'an upper-case provider id key',
			{ media: { ...(event.media as object), ids: { IMDB: 'tt1' } } },
			'event.media.ids',
		],
	])('rejects %s', (_, change: Record<string, unknown>, problem) => {
		const broken: Record<string, unknown> = { ...event, ...change };
		if (change.rating === 'drop') delete broken.rating;
		expect(schemaProblems(schema, broken).join('\n')).toContain(problem);
	});
});
