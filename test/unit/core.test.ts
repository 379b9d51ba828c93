import { jsonObjectFrom } from '../../nodes/core/body';
import {
	makePlayback,
	PayloadError,
	playbackProgress,
	ticksToMs,
	type MediaEvent,
} from '../../nodes/core/event';
import { listParameter, whyIgnored, type EventFilter } from '../../nodes/core/filter';
import { PlaybackStateTracker } from '../../nodes/core/playbackState';
import {
	bool,
	int,
	isoDate,
	isoFromUnixSeconds,
	num,
	providerIds,
	text,
} from '../../nodes/core/values';
import { RECEIVED_AT } from './fixtures';

describe('values', () => {
	describe('text', () => {
		it.each([
			['a string, trimmed', '  Rain ', 'Rain'],
			['an empty string', '', null],
			['a blank string', ' \t ', null],
			['an integer', 42, '42'],
			['a decimal', 23.976025, '23.976025'],
			['NaN', NaN, null],
			['Infinity', Infinity, null],
			['a boolean', true, null],
			['null', null, null],
			['undefined', undefined, null],
			['an object', { a: 1 }, null],
		])('%s', (_name, value: unknown, expected) => {
			expect(text(value)).toBe(expected);
		});
	});

	describe('num', () => {
		it.each([
			['a number', 27074985984, 27074985984],
			['zero', 0, 0],
			['a numeric string', '23.976025', 23.976025],
			['a padded numeric string', ' 7 ', 7],
			['an empty string', '', null],
			['a blank string', '  ', null],
			['a non-numeric string', '12abc', null],
			['NaN', NaN, null],
			['-Infinity', -Infinity, null],
			['the string "Infinity"', 'Infinity', null],
			['a boolean', true, null],
			['null', null, null],
		])('%s', (_name, value: unknown, expected) => {
			expect(num(value)).toBe(expected);
		});
	});

	describe('int', () => {
		it.each([
			['an integer string', '2021', 2021],
			['a decimal, truncated', 3.9, 3],
			['a negative decimal, truncated toward zero', -3.9, -3],
			['a decimal string', '1.5', 1],
			['an empty string', '', null],
			['undefined', undefined, null],
		])('%s', (_name, value: unknown, expected) => {
			expect(int(value)).toBe(expected);
		});
	});

	describe('bool', () => {
		it.each([
			[true, true],
			[false, false],
			['True', true],
			['False', false],
			['false', false],
			[' TRUE ', true],
			['1', true],
			['0', false],
			[1, true],
			[0, false],
			[2, null],
			['yes', null],
			['', null],
			[null, null],
			[undefined, null],
		])('%p → %p', (value: unknown, expected) => {
			expect(bool(value)).toBe(expected);
		});
	});

	describe('isoDate', () => {
		it.each([
			[
				'a UTC time with 7 fraction digits',
				'2025-08-18T18:35:28.3097786Z',
				'2025-08-18T18:35:28.309Z',
			],
			[
				'a time with an offset, to UTC',
				'2023-01-04T07:36:12.8535895+01:00',
				'2023-01-04T06:36:12.853Z',
			],
			['a date only', '2021-04-11', '2021-04-11T00:00:00.000Z'],
			['an invalid month', '2023-13-45', null],
			['not a date', 'yesterday', null],
			['an empty string', '', null],
			['null', null, null],
		])('%s', (_name, value: unknown, expected) => {
			expect(isoDate(value)).toBe(expected);
		});
	});

	describe('isoFromUnixSeconds', () => {
		it.each([
			['a number', 1700000000, '2023-11-14T22:13:20.000Z'],
			['a numeric string', '1700000000', '2023-11-14T22:13:20.000Z'],
			['fractional seconds', 1.5, '1970-01-01T00:00:01.500Z'],
			['zero', 0, null],
			['a negative number', -5, null],
			['an empty string', '', null],
			['a non-numeric string', 'now', null],
			['Infinity', Infinity, null],
		])('%s', (_name, value: unknown, expected) => {
			expect(isoFromUnixSeconds(value)).toBe(expected);
		});
	});

	describe('providerIds', () => {
		it('keeps non-empty ids as strings under lower-case keys', () => {
			expect(
				providerIds([
					['Imdb', 'tt6264654'],
					['TMDB', 550988],
					['Tvdb', ''],
					['AniDB', '  '],
					['TvMaze', null],
					['Other', { id: 1 }],
				]),
			).toEqual({ imdb: 'tt6264654', tmdb: '550988' });
		});

		it('accepts any iterable of entries', () => {
			expect(providerIds(new Map([['Tmdb', ' 229210 ']]))).toEqual({ tmdb: '229210' });
		});

		it('gives {} for no entries', () => {
			expect(providerIds([])).toEqual({});
		});
	});
});

describe('jsonObjectFrom', () => {
	const BODY = { NotificationType: 'PlaybackStart', ServerId: 'abc' };
	const JSON_TEXT = JSON.stringify(BODY);

	it('returns an already parsed object as it is', () => {
		const body = { ...BODY };
		expect(jsonObjectFrom(body)).toBe(body);
	});

	it.each([
		['JSON text', JSON_TEXT],
		['JSON text with surrounding whitespace', `\n ${JSON_TEXT} \n`],
		['a Buffer of JSON', Buffer.from(JSON_TEXT, 'utf8')],
		['BOM-prefixed text', `\uFEFF${JSON_TEXT}`],
		['a BOM-prefixed Buffer', Buffer.from(`\uFEFF${JSON_TEXT}`, 'utf8')],
	])('parses %s', (_name, body: unknown) => {
		expect(jsonObjectFrom(body)).toEqual(BODY);
	});

	it.each([
		['{}', {}],
		['the text "{}"', '{}'],
		['an empty string', ''],
		['a blank string', '  \n'],
		['an empty Buffer', Buffer.alloc(0)],
		['undefined', undefined],
		['null', null],
	])('%s is "Body is empty"', (_name, body: unknown) => {
		expect(() => jsonObjectFrom(body)).toThrow(PayloadError);
		expect(() => jsonObjectFrom(body)).toThrow(/^Body is empty$/);
	});

	it('invalid JSON is a PayloadError starting "Body is not valid JSON: "', () => {
		let thrown: unknown;
		try {
			jsonObjectFrom('{"NotificationType": ');
		} catch (error) {
			thrown = error;
		}
		expect(thrown).toBeInstanceOf(PayloadError);
		const message = (thrown as PayloadError).message;
		expect(message.startsWith('Body is not valid JSON: ')).toBe(true);
		// The parser's own explanation follows the prefix.
		expect(message.length).toBeGreaterThan('Body is not valid JSON: '.length);
	});

	it.each([
		['a JSON array', '[{"NotificationType":"PlaybackStart"}]'],
		['JSON null', 'null'],
		['a JSON string', '"PlaybackStart"'],
		['a JSON number', '42'],
		['an array n8n already parsed', [{ NotificationType: 'PlaybackStart' }]],
		['a number n8n already parsed', 42],
	])('%s is "Body must be a JSON object"', (_name, body) => {
		expect(() => jsonObjectFrom(body)).toThrow(PayloadError);
		expect(() => jsonObjectFrom(body)).toThrow(/^Body must be a JSON object$/);
	});

	it('names the custom `what` label in each message', () => {
		const what = 'Form field "payload"';
		expect(() => jsonObjectFrom('', what)).toThrow(/^Form field "payload" is empty$/);
		expect(() => jsonObjectFrom('{', what)).toThrow(/^Form field "payload" is not valid JSON: /);
		expect(() => jsonObjectFrom('[]', what)).toThrow(
			/^Form field "payload" must be a JSON object$/,
		);
	});
});

describe('event helpers', () => {
	it.each([
		[0, 0],
		[10_000, 1],
		[14_999, 1],
		[15_000, 2],
		[27074985984, 2707499],
		[null, null],
	])('ticksToMs(%p) = %p', (ticks, expected) => {
		expect(ticksToMs(ticks)).toBe(expected);
	});

	it.each([
		['a plain ratio', 1, 4, 0.25],
		['rounded to 4 places (down)', 1, 3, 0.3333],
		['rounded to 4 places (up)', 2, 3, 0.6667],
		['a position past the end, clamped to 1', 150, 100, 1],
		['a negative position, clamped to 0', -5, 100, 0],
		['zero duration', 50, 0, null],
		['negative duration', 50, -10, null],
		['unknown position', null, 100, null],
		['unknown duration', 50, null, null],
	])('playbackProgress: %s', (_name, positionMs, durationMs, expected) => {
		expect(playbackProgress(positionMs, durationMs)).toBe(expected);
	});

	it('makePlayback adds progress from position and duration', () => {
		expect(
			makePlayback({ positionMs: 454923, durationMs: 6427424, paused: false, completed: true }),
		).toEqual({
			positionMs: 454923,
			durationMs: 6427424,
			progress: 0.0708,
			paused: false,
			completed: true,
		});
	});
});

describe('filter', () => {
	describe('listParameter', () => {
		it.each([
			[undefined, []],
			['', []],
			[' , ,', []],
			['Rain', ['Rain']],
			[' Rain , jellyfin,,admin ', ['Rain', 'jellyfin', 'admin']],
		])('%p → %p', (value, expected) => {
			expect(listParameter(value)).toEqual(expected);
		});
	});

	describe('whyIgnored', () => {
		const SERVER_ID = '16588a9f062a40c4966586b1d220bffc';

		function event(changes: Partial<MediaEvent> = {}): MediaEvent {
			return {
				source: 'jellyfin',
				event: 'stop',
				rawEvent: 'PlaybackStop',
				reason: null,
				receivedAt: RECEIVED_AT,
				occurredAt: null,
				server: { id: SERVER_ID, name: 'Rain', version: '10.10.3' },
				user: { id: '02700c8344d542619b39319296c0d4c7', name: 'Rain' },
				player: null,
				media: {
					type: 'episode',
					id: '9250ab3d1101d01705c353b78cbb572e',
					title: 'Undertaker',
					year: 2021,
					series: null,
					seasonNumber: 1,
					episodeNumber: 1,
					episodeNumberEnd: null,
					ids: {},
					library: null,
					path: null,
				},
				playback: null,
				played: null,
				rating: null,
				favorite: null,
				liked: null,
				...changes,
			};
		}

		function filter(changes: Partial<EventFilter> = {}): EventFilter {
			return {
				events: [],
				serverIds: [],
				users: [],
				dropEventsWithoutUser: false,
				mediaTypes: [],
				...changes,
			};
		}

		it('an empty filter lets everything through', () => {
			expect(whyIgnored(event(), filter())).toBeNull();
			expect(whyIgnored(event({ user: null, media: null }), filter())).toBeNull();
		});

		describe('events', () => {
			it('passes a selected event', () => {
				expect(whyIgnored(event(), filter({ events: ['play', 'stop'] }))).toBeNull();
			});

			it('names the event and raw event when not selected', () => {
				expect(whyIgnored(event(), filter({ events: ['play'] }))).toBe(
					'event "stop" (PlaybackStop) is not selected in Events',
				);
			});

			it('is checked before the other rules', () => {
				const everythingWrong = filter({
					events: ['play'],
					serverIds: ['other'],
					users: ['nobody'],
					mediaTypes: ['movie'],
				});
				expect(whyIgnored(event(), everythingWrong)).toBe(
					'event "stop" (PlaybackStop) is not selected in Events',
				);
			});
		});

		describe('server ids', () => {
			it.each([
				['the same id', SERVER_ID],
				['upper case', SERVER_ID.toUpperCase()],
				['a dashed GUID', '16588A9F-062A-40C4-9665-86B1D220BFFC'],
			])('matches %s', (_name, id) => {
				expect(whyIgnored(event(), filter({ serverIds: ['other', id] }))).toBeNull();
			});

			it('matches a dashed id in the event against a plain one in the filter', () => {
				const dashed = event({
					server: { id: '16588a9f-062a-40c4-9665-86b1d220bffc', name: null, version: null },
				});
				expect(whyIgnored(dashed, filter({ serverIds: [SERVER_ID] }))).toBeNull();
			});

			it('names the server that is not listed', () => {
				expect(
					whyIgnored(event(), filter({ serverIds: ['e7f44197df844fc4a503f7366b746adc'] })),
				).toBe(`server "${SERVER_ID}" is not in Match Server IDs`);
			});

			it('drops an event without server id when server ids are set', () => {
				const noServer = event({ server: { id: null, name: 'Rain', version: null } });
				expect(whyIgnored(noServer, filter({ serverIds: [SERVER_ID] }))).toBe(
					'the event carries no server id and Match Server IDs is set',
				);
				expect(whyIgnored(noServer, filter())).toBeNull();
			});
		});

		describe('users', () => {
			it.each([
				['by id', '02700c8344d542619b39319296c0d4c7'],
				['by id in upper case', '02700C8344D542619B39319296C0D4C7'],
				['by name', 'Rain'],
				['by name without case', 'rAIN'],
			])('matches %s', (_name, user) => {
				expect(whyIgnored(event(), filter({ users: ['admin', user] }))).toBeNull();
			});

			it('names the user that is not listed', () => {
				expect(whyIgnored(event(), filter({ users: ['admin'] }))).toBe(
					'user "Rain" is not in Match Users',
				);
			});

			it('names the user by id when the event has no user name', () => {
				const idOnly = event({ user: { id: '02700c8344d542619b39319296c0d4c7', name: null } });
				expect(whyIgnored(idOnly, filter({ users: ['Rain'] }))).toBe(
					'user "02700c8344d542619b39319296c0d4c7" is not in Match Users',
				);
			});

			it('lets events without user through, even with Match Users set', () => {
				expect(whyIgnored(event({ user: null }), filter({ users: ['admin'] }))).toBeNull();
			});

			it('drops events without user when dropEventsWithoutUser is on', () => {
				expect(whyIgnored(event({ user: null }), filter({ dropEventsWithoutUser: true }))).toBe(
					'the event names no user and Drop Events Without User is on',
				);
				expect(whyIgnored(event(), filter({ dropEventsWithoutUser: true }))).toBeNull();
			});
		});

		describe('media types', () => {
			it('passes a selected media type', () => {
				expect(whyIgnored(event(), filter({ mediaTypes: ['movie', 'episode'] }))).toBeNull();
			});

			it('names the media type that is not selected', () => {
				expect(whyIgnored(event(), filter({ mediaTypes: ['movie'] }))).toBe(
					'media type "episode" is not selected in Media Types',
				);
			});

			it('does not affect events without media', () => {
				expect(whyIgnored(event({ media: null }), filter({ mediaTypes: ['movie'] }))).toBeNull();
			});
		});
	});
});

describe('PlaybackStateTracker', () => {
	it('play, then a paused heartbeat is pause; more paused heartbeats are progress; unpaused is resume', () => {
		const tracker = new PlaybackStateTracker();
		expect(tracker.observe('s1', 'play', false)).toBe('play');
		expect(tracker.observe('s1', 'progress', false)).toBe('progress');
		expect(tracker.observe('s1', 'progress', true)).toBe('pause');
		expect(tracker.observe('s1', 'progress', true)).toBe('progress');
		expect(tracker.observe('s1', 'progress', false)).toBe('resume');
		expect(tracker.observe('s1', 'progress', false)).toBe('progress');
	});

	it('a first heartbeat that is already paused is pause', () => {
		const tracker = new PlaybackStateTracker();
		expect(tracker.observe('s1', 'progress', true)).toBe('pause');
	});

	it('a first heartbeat that is playing is progress', () => {
		const tracker = new PlaybackStateTracker();
		expect(tracker.observe('s1', 'progress', false)).toBe('progress');
	});

	it('a play that starts paused makes the next unpaused heartbeat resume', () => {
		const tracker = new PlaybackStateTracker();
		expect(tracker.observe('s1', 'play', true)).toBe('play');
		expect(tracker.observe('s1', 'progress', false)).toBe('resume');
	});

	it('a heartbeat without paused state stays progress and changes nothing', () => {
		const tracker = new PlaybackStateTracker();
		tracker.observe('s1', 'progress', true);
		expect(tracker.observe('s1', 'progress', null)).toBe('progress');
		expect(tracker.observe('s1', 'progress', false)).toBe('resume');
	});

	it('other events pass through unchanged and are not tracked', () => {
		const tracker = new PlaybackStateTracker();
		expect(tracker.observe('s1', 'watched', true)).toBe('watched');
		expect(tracker.observe('s1', 'added', null)).toBe('added');
		expect(tracker.size).toBe(0);
	});

	it('stop forgets the session', () => {
		const tracker = new PlaybackStateTracker();
		tracker.observe('s1', 'progress', true);
		expect(tracker.size).toBe(1);
		expect(tracker.observe('s1', 'stop', false)).toBe('stop');
		expect(tracker.size).toBe(0);
		// Paused again after the stop: a fresh session, so pause again rather than progress.
		expect(tracker.observe('s1', 'progress', true)).toBe('pause');
	});

	it('sessions are independent', () => {
		const tracker = new PlaybackStateTracker();
		expect(tracker.observe('s1', 'progress', true)).toBe('pause');
		expect(tracker.observe('s2', 'progress', true)).toBe('pause');
		expect(tracker.observe('s1', 'progress', false)).toBe('resume');
		expect(tracker.observe('s2', 'progress', true)).toBe('progress');
		expect(tracker.size).toBe(2);
	});

	it('at capacity, drops the least recently seen session (capacity 2)', () => {
		const tracker = new PlaybackStateTracker(2);
		tracker.observe('a', 'progress', true);
		tracker.observe('b', 'progress', true);
		// Seeing "a" again makes "b" the least recently seen.
		expect(tracker.observe('a', 'progress', true)).toBe('progress');
		tracker.observe('c', 'progress', true);
		expect(tracker.size).toBe(2);
		// "b" was forgotten: its unpaused heartbeat cannot be told as a resume.
		expect(tracker.observe('b', 'progress', false)).toBe('progress');
		// Seeing "b" evicted "a" (then the least recently seen), while "c" is kept.
		expect(tracker.observe('c', 'progress', false)).toBe('resume');
		expect(tracker.observe('a', 'progress', false)).toBe('progress');
	});

	it('below capacity, keeps every session', () => {
		const tracker = new PlaybackStateTracker(2);
		tracker.observe('a', 'progress', true);
		tracker.observe('b', 'progress', true);
		expect(tracker.observe('a', 'progress', false)).toBe('resume');
		expect(tracker.observe('b', 'progress', false)).toBe('resume');
	});
});
