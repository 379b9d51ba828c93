import { PayloadError, type MediaEvent } from '../../nodes/core/event';
import {
	parseTautulli,
	TAUTULLI_EMPTY_BODY,
	TAUTULLI_FORM_BODY,
	tautulliPayload,
} from '../../nodes/core/parsers/tautulli';
import type { JsonObject } from '../../nodes/core/values';
import { fixtureFiles, fixtureText } from '../fixtures/load';
import {
	context,
	RECEIVED_AT,
	renderTautulli,
	TAUTULLI_EPISODE,
	TAUTULLI_MOVIE,
	testRealFixtureEvents,
} from './fixtures';

/**
 * Bodies Tautulli v2.17.2 itself sent (test/fixtures/tautulli/real-v2.17.2/, README template) are checked at the
 * end against the hand-checked events of test/fixtures/expected/tautulli.ts. The rest are the WatchState template
 * (test/fixtures/tautulli/watchstate-body-template.json) rendered with constructed values, the way Tautulli
 * renders it: each value is a string, and a parameter without a value is "". Value formats follow Tautulli
 * `build_media_notify_params`: `{season_num}`/`{episode_num}` of a movie are "0" (str('').zfill(1)),
 * `{show_year}` is the show's year (empty for movies), `{ip_address}` is "N/A" without a stream,
 * `*_date` use the default date format YYYY-MM-DD.
 */
const TEMPLATE = fixtureText('tautulli', 'watchstate-body-template.json');

const parse = (body: JsonObject): MediaEvent => parseTautulli(body, context());

const SERVER = {
	id: '5a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
	name: 'Living Room Plex',
	version: '1.40.2.8395-c67dce28e',
};
const ALICE = { id: '8273645', name: 'alice' };
const TV = { device: 'Living Room TV', client: null, address: '192.168.1.20', local: true };
const FUTURAMA_IDS = { imdb: 'tt0149460', tvdb: '73871', tmdb: '615', tvmaze: '538' };

/** The template plus the optional event-time keys the README recommends. */
function templateWithTime(keys: Record<string, string>): string {
	return JSON.stringify({ ...JSON.parse(TEMPLATE), ...keys });
}

describe('parseTautulli: the WatchState template rendered with constructed values', () => {
	it('the template is the only tautulli fixture file beside the real-v2.17.2 folder', () => {
		expect(fixtureFiles('tautulli')).toEqual(['watchstate-body-template.json']);
	});

	it('constructed values: watched of an episode; Guids are the show ids', () => {
		expect(parse(renderTautulli(TEMPLATE, { ...TAUTULLI_EPISODE, action: 'watched' }))).toEqual({
			source: 'tautulli',
			event: 'watched',
			rawEvent: 'tautulli.watched',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: SERVER,
			user: ALICE,
			player: TV,
			media: {
				type: 'episode',
				id: '59852',
				title: 'A Clone of My Own',
				// From {air_date}; {show_year} (1999) is the show's year.
				year: 2000,
				series: { id: '59800', title: 'Futurama', ids: FUTURAMA_IDS },
				seasonNumber: 2,
				episodeNumber: 15,
				episodeNumberEnd: null,
				ids: {},
				library: { id: '2', name: 'TV Shows' },
				path: '/data/tv/Futurama/Season 02/Futurama - S02E15 - A Clone of My Own.mkv',
			},
			playback: {
				positionMs: 1127000,
				durationMs: 1320000,
				progress: 0.8538,
				paused: false,
				completed: null,
			},
			played: true,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('constructed values: pause of a movie; empty {show_year}, "0" indexes', () => {
		expect(parse(renderTautulli(TEMPLATE, { ...TAUTULLI_MOVIE, action: 'pause' }))).toEqual({
			source: 'tautulli',
			event: 'pause',
			rawEvent: 'tautulli.pause',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: SERVER,
			user: ALICE,
			player: TV,
			media: {
				type: 'movie',
				id: '26697',
				title: 'Big Trouble in Little China',
				year: 1986,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { imdb: 'tt0090728', tvdb: '1876', tmdb: '6978' },
				library: { id: '1', name: 'Movies' },
				path: '/data/movies/Big Trouble in Little China (1986)/Big Trouble in Little China (1986).mkv',
			},
			playback: {
				positionMs: 5049000,
				durationMs: 5940000,
				progress: 0.85,
				paused: true,
				completed: null,
			},
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('constructed values: created (Recently Added) of a grouped season, with no user and no stream', () => {
		const season = {
			...TAUTULLI_EPISODE,
			action: 'created',
			user_id: '',
			user_thumb: '',
			username: '',
			stream_local: '',
			ip_address: 'N/A',
			player: '',
			machine_id: '',
			rating_key: '59837',
			parent_rating_key: '59800',
			grandparent_rating_key: '',
			guid: 'plex://season/602e67e66fc8b9002c04a0b5',
			media_type: 'season',
			// Default grouping: {episode_name} empty, {show_name}/{season_name} one level up, episodes as a range.
			episode_name: '',
			show_name: 'Futurama',
			season_name: 'Season 2',
			season_num: '2',
			episode_num: '01-20',
			view_offset: '0',
			last_viewed_date: '',
			show_year: '1999',
			duration_ms: '',
			air_date: '',
			file: '',
			file_size_bytes: '',
		};
		expect(parse(renderTautulli(TEMPLATE, season))).toEqual({
			source: 'tautulli',
			event: 'added',
			rawEvent: 'tautulli.created',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: SERVER,
			user: null,
			player: null,
			media: {
				type: 'season',
				id: '59837',
				title: 'Season 2',
				year: 1999,
				series: { id: '59800', title: 'Futurama', ids: FUTURAMA_IDS },
				seasonNumber: 2,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: {},
				library: { id: '2', name: 'TV Shows' },
				path: null,
			},
			playback: null,
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('constructed values: created of a grouped show takes its title from {show_name}', () => {
		const show = {
			...TAUTULLI_EPISODE,
			action: 'created',
			user_id: '',
			username: '',
			rating_key: '59800',
			parent_rating_key: '',
			grandparent_rating_key: '',
			media_type: 'show',
			episode_name: '',
			season_name: '',
			season_num: '1-7',
			episode_num: '',
		};
		expect(parse(renderTautulli(TEMPLATE, show))).toMatchObject({
			event: 'added',
			user: null,
			media: {
				type: 'series',
				id: '59800',
				title: 'Futurama',
				series: null,
				seasonNumber: null,
				ids: FUTURAMA_IDS,
			},
		});
	});

	it('constructed values: created of a movie with empty {show_year} and a non-ISO date format has no year', () => {
		const movie = {
			...TAUTULLI_MOVIE,
			action: 'created',
			user_id: '',
			username: '',
			air_date: 'Jul 02 1986',
		};
		expect(parse(renderTautulli(TEMPLATE, movie)).media).toMatchObject({
			type: 'movie',
			year: null,
		});
	});

	it('constructed values: test has no item', () => {
		const blank = Object.fromEntries(Object.keys(TAUTULLI_EPISODE).map((key) => [key, '']));
		const body = renderTautulli(TEMPLATE, {
			...blank,
			action: 'test',
			server_name: SERVER.name,
			server_machine_id: SERVER.id,
			server_version: SERVER.version,
		});
		expect(parse(body)).toEqual({
			source: 'tautulli',
			event: 'test',
			rawEvent: 'tautulli.test',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: SERVER,
			user: null,
			player: null,
			media: null,
			playback: null,
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it.each([
		['play', 'play', false],
		['resume', 'resume', false],
		['stop', 'stop', false],
	])('constructed values: %s is %s with paused=%s', (action, event, paused) => {
		const parsed = parse(renderTautulli(TEMPLATE, { ...TAUTULLI_MOVIE, action }));
		expect(parsed.event).toBe(event);
		expect(parsed.playback).toEqual({
			positionMs: 5049000,
			durationMs: 5940000,
			progress: 0.85,
			paused,
			completed: null,
		});
		expect(parsed.played).toBeNull();
	});

	it.each(['buffer', 'error', 'intro', 'newdevice', 'pmsupdate'])(
		'constructed values: %s is other',
		(action) => {
			const parsed = parse(renderTautulli(TEMPLATE, { ...TAUTULLI_MOVIE, action }));
			expect(parsed).toMatchObject({
				event: 'other',
				rawEvent: `tautulli.${action}`,
				playback: null,
			});
		},
	);

	it('constructed values: "0"/"1" and "True"/"False" locality both cast', () => {
		const local = (value: string) =>
			parse(renderTautulli(TEMPLATE, { ...TAUTULLI_MOVIE, action: 'play', stream_local: value }))
				.player?.local;
		expect(local('0')).toBe(false);
		expect(local('True')).toBe(true);
		expect(local('')).toBeNull();
	});
});

describe('parseTautulli: event time from keys added to the template', () => {
	const timed = (keys: Record<string, string>, values: Record<string, string>) =>
		parse(renderTautulli(templateWithTime(keys), { ...TAUTULLI_MOVIE, action: 'play', ...values }))
			.occurredAt;

	// Can fail only outside UTC: the unit tier runs in Pacific/Chatham (test/support/zone-environment.js).
	it('constructed values: "utctime": "{utctime}" without a zone is read as UTC', () => {
		expect(timed({ utctime: '{utctime}' }, { utctime: '2024-06-01T11:58:30.123456' })).toBe(
			'2024-06-01T11:58:30.123Z',
		);
	});

	it('constructed values: ISO with an offset', () => {
		expect(timed({ utctime: '{utctime}' }, { utctime: '2024-06-01T13:58:30+02:00' })).toBe(
			'2024-06-01T11:58:30.000Z',
		);
	});

	it('constructed values: "timestamp": "{unixtime}" is unix seconds', () => {
		expect(timed({ timestamp: '{unixtime}' }, { unixtime: '1717243110' })).toBe(
			'2024-06-01T11:58:30.000Z',
		);
	});

	it('constructed values: either key accepts either form', () => {
		expect(timed({ utctime: '{unixtime}' }, { unixtime: '1717243110' })).toBe(
			'2024-06-01T11:58:30.000Z',
		);
		expect(timed({ timestamp: '{utctime}' }, { utctime: '2024-06-01T11:58:30' })).toBe(
			'2024-06-01T11:58:30.000Z',
		);
	});

	it("constructed values: Tautulli's own {timestamp} (a clock time) is no event time", () => {
		expect(timed({ timestamp: '{timestamp}' }, { timestamp: '13:58:30' })).toBeNull();
	});
});

describe('parseTautulli: the Test Notifications tab', () => {
	it('constructed: the template sent unfilled is a test event without user, player or item', () => {
		const template = JSON.parse(fixtureText('tautulli', 'watchstate-body-template.json'));
		expect(parseTautulli(template, context())).toEqual({
			source: 'tautulli',
			event: 'test',
			rawEvent: 'tautulli.{action}',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: { id: null, name: null, version: null },
			user: null,
			player: null,
			media: null,
			playback: null,
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});
});

describe('parseTautulli: bodies that are not Tautulli webhooks', () => {
	it.each([
		['an empty object', {}],
		['an unrelated JSON object', { hello: 'world', count: 3 }],
		['an empty event', { event: '', Account: { id: '1' } }],
	])('constructed: %s throws PayloadError', (_name, body: JsonObject) => {
		expect(() => parse(body)).toThrow(PayloadError);
		expect(() => parse(body)).toThrow(/"event" is missing/);
	});
});

const REAL = 'tautulli/real-v2.17.2';
const realBody = (file: string): JsonObject =>
	tautulliPayload(Buffer.from(fixtureText(REAL, file)));

describe('Tautulli v2.17.2 bodies (sent by Tautulli with the README template) give their hand-checked events (test/fixtures/expected/tautulli.ts)', () => {
	// headers.json holds the requests' headers; the 0-byte body of test-default.json is no event (below).
	const bodies = fixtureFiles(REAL).filter(
		(file) => !['headers.json', 'test-default.json'].includes(file),
	);
	testRealFixtureEvents(REAL, (file) => parse(realBody(file)), bodies);
});

describe('tautulliPayload: what Tautulli sends when its agent is not set up right', () => {
	it('test-default.json: the Test button with the Data tab left empty sends 0 bytes', () => {
		const body = Buffer.from(fixtureText(REAL, 'test-default.json'));
		expect(body.length).toBe(0);
		expect(() => tautulliPayload(body)).toThrow(new PayloadError(TAUTULLI_EMPTY_BODY));
	});

	it.each([
		['no body at all', undefined],
		['whitespace', '  \n'],
		['what n8n leaves for an empty JSON body', {}],
	])('constructed: %s is the same empty body', (_name, body) => {
		expect(() => tautulliPayload(body)).toThrow(TAUTULLI_EMPTY_BODY);
	});

	it.each([
		// requests' form encoding of the README template: nested objects become their key names.
		['as text', 'event=tautulli.play&Account=id&Account=thumb&Account=title'],
		['as n8n parses urlencoded', { event: 'tautulli.play', Account: ['id', 'thumb', 'title'] }],
		['one nested key', { event: 'tautulli.play', Server: 'title' }],
	])('constructed: a form-encoded body %s says to fix JSON Headers', (_name, body) => {
		expect(() => tautulliPayload(body)).toThrow(TAUTULLI_FORM_BODY);
	});

	it('constructed: other broken JSON is still named as such', () => {
		expect(() => tautulliPayload('{"event": "tautulli.play", "id": }')).toThrow(
			/Body is not valid JSON/,
		);
	});
});
