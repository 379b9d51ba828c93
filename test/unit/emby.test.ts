import { PayloadError, type MediaEvent } from '../../nodes/core/event';
import { parseEmby } from '../../nodes/core/parsers/emby';
import type { JsonObject } from '../../nodes/core/values';
import { fixtureFiles, fixtureJson } from '../fixtures/load';
import { context, RECEIVED_AT } from './fixtures';

const parse = (body: JsonObject): MediaEvent => parseEmby(body, context());

// Servers and users as they appear in the real fixtures.
const DESKTOP = {
	id: '2240cf897563470792b631152eb15508',
	name: 'DESKTOP-S7DTKJP',
	version: '4.7.14.0',
};
const PN41 = { id: 'f40a5bd0c6b64051bdbed00580fa1118', name: 'PN41', version: '4.7.13.0' };
const DESKTOP_USER = { id: 'ac5936290ca848449b25f95b504b5238', name: '蓝芷怡-PC' };
const PN41_USER = { id: 'e6a9dd89fd954d689870e7e0e3e72947', name: 'admin' };
const CHROME = { device: 'Google Chrome Windows', client: 'Emby Web', address: '::1', local: null };
const EDGE = {
	device: 'Microsoft Edge Windows',
	client: 'Emby Web',
	address: '10.10.10.253',
	local: null,
};

const SUZUME_IDS = {
	tmdb: '916224',
	imdb: 'tt16428256',
	tvdb: '331904',
	eidr: '10.5240/16B9-BDA5-203F-5E1E-3EEB-9',
};

describe('parseEmby: real fixtures', () => {
	it('playback.start of an episode (4.7.13)', () => {
		expect(parse(fixtureJson('emby', 'playback-start-episode-4.7.13.json'))).toEqual({
			source: 'emby',
			event: 'play',
			rawEvent: 'playback.start',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-08-19T00:52:20.520Z',
			server: PN41,
			user: PN41_USER,
			player: EDGE,
			media: {
				type: 'episode',
				id: '240252',
				title: '第 11 集',
				year: 2023,
				series: { id: '240202', title: '长风渡', ids: {} },
				seasonNumber: 1,
				episodeNumber: 11,
				episodeNumberEnd: null,
				ids: { tmdb: '4533239' },
				library: null,
				path: '\\\\10.10.10.10\\Video\\电视剧\\国产剧\\长风渡 (2023)\\Season 1\\长风渡 - S01E11 - 第 11 集.mp4',
			},
			playback: {
				positionMs: 1425666,
				durationMs: 2802145,
				progress: 0.5088,
				paused: false,
				completed: null,
			},
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('playback.start of a movie whose ProviderIds hold non-id entries (4.7.14)', () => {
		expect(parse(fixtureJson('emby', 'playback-start-movie-4.7.14.json'))).toEqual({
			source: 'emby',
			event: 'play',
			rawEvent: 'playback.start',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-11-01T05:40:35.641Z',
			server: DESKTOP,
			user: DESKTOP_USER,
			player: CHROME,
			media: {
				type: 'movie',
				id: '103',
				title: '铃芽之旅',
				year: 2022,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				// "Official Website" (a URL, key with a space) and "Wikipedia" (a page name) are dropped.
				ids: SUZUME_IDS,
				library: null,
				path: 'D:\\movie\\铃芽之旅.mp4',
			},
			// This Item has no RunTimeTicks, so there is no duration and no progress.
			playback: { positionMs: 0, durationMs: null, progress: null, paused: false, completed: null },
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('playback.stop of an episode played to completion, with position 0 (4.7.14)', () => {
		expect(parse(fixtureJson('emby', 'playback-stop-episode-4.7.14.json'))).toEqual({
			source: 'emby',
			event: 'stop',
			rawEvent: 'playback.stop',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-10-31T07:51:30.923Z',
			server: DESKTOP,
			user: DESKTOP_USER,
			player: CHROME,
			media: {
				type: 'episode',
				id: '57',
				title: '日常的第一话',
				year: 2011,
				series: { id: '56', title: '日常', ids: {} },
				seasonNumber: 1,
				episodeNumber: 1,
				episodeNumberEnd: null,
				ids: { tvdb: '3905081', imdb: 'tt2102480' },
				library: null,
				path: 'D:\\anime\\日常 (2011)\\S01E01.mp4',
			},
			playback: { positionMs: 0, durationMs: null, progress: null, paused: false, completed: true },
			played: true,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('playback.stop of a movie part-way (4.7.11)', () => {
		expect(parse(fixtureJson('emby', 'playback-stop-movie-4.7.11.json'))).toEqual({
			source: 'emby',
			event: 'stop',
			rawEvent: 'playback.stop',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-05-07T15:29:57.513Z',
			server: { id: 'b331a858360e4cbebd2b3d5a02fbabef', name: 'test-pc', version: '4.7.11.0' },
			user: { id: '3541d84b0f1b4ea4a1327b8bf2de3419', name: 'test' },
			player: { device: 'Firefox', client: 'Emby Web', address: '127.0.0.1', local: null },
			media: {
				type: 'movie',
				id: '7',
				title: '2 Fast 2 Furious',
				year: 2003,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { tmdb: '584', imdb: 'tt0322259', tvdb: '20800' },
				library: null,
				path: '/mnt/movies/2 Fast 2 Furious (2003)/2.Fast.2.Furious.2003.mkv',
			},
			playback: {
				positionMs: 482497,
				durationMs: 6455872,
				progress: 0.0747,
				paused: false,
				completed: false,
			},
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('playback.stop of a movie part-way (4.7.13)', () => {
		expect(parse(fixtureJson('emby', 'playback-stop-movie-4.7.13.json'))).toEqual({
			source: 'emby',
			event: 'stop',
			rawEvent: 'playback.stop',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-08-19T00:49:07.852Z',
			server: PN41,
			user: PN41_USER,
			player: EDGE,
			media: {
				type: 'movie',
				id: '240270',
				title: '蜘蛛侠：纵横宇宙',
				year: 2023,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { tmdb: '569094', imdb: 'tt9362722' },
				library: null,
				path: '\\\\10.10.10.10\\Video\\电影\\动画电影\\蜘蛛侠：纵横宇宙 (2023)\\蜘蛛侠：纵横宇宙 (2023).mp4',
			},
			playback: {
				positionMs: 1743179,
				durationMs: 8043959,
				progress: 0.2167,
				paused: false,
				completed: false,
			},
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('library.new of an episode: no user, empty ProviderIds, no numbers (4.7.14)', () => {
		expect(parse(fixtureJson('emby', 'library-new-episode-4.7.14.json'))).toEqual({
			source: 'emby',
			event: 'added',
			rawEvent: 'library.new',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-10-31T06:26:57.371Z',
			server: DESKTOP,
			user: null,
			player: null,
			media: {
				type: 'episode',
				id: '57',
				title: 'S01E01',
				year: null,
				series: { id: '56', title: '日常 (2011)', ids: {} },
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: {},
				library: null,
				path: 'D:\\anime\\日常 (2011)\\S01E01.mp4',
			},
			playback: null,
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('library.new of a movie with empty ProviderIds (4.7.14)', () => {
		expect(parse(fixtureJson('emby', 'library-new-movie-4.7.14.json'))).toEqual({
			source: 'emby',
			event: 'added',
			rawEvent: 'library.new',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-11-01T05:39:40.250Z',
			server: DESKTOP,
			user: null,
			player: null,
			media: {
				type: 'movie',
				id: '103',
				title: '铃芽之旅',
				year: null,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: {},
				library: null,
				path: 'D:\\movie\\铃芽之旅.mp4',
			},
			playback: null,
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('item.markplayed of an episode: watched from the event name alone (4.7.14)', () => {
		expect(parse(fixtureJson('emby', 'item-markplayed-episode-4.7.14.json'))).toEqual({
			source: 'emby',
			event: 'watched',
			rawEvent: 'item.markplayed',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-11-02T08:19:49.968Z',
			server: DESKTOP,
			user: DESKTOP_USER,
			player: null,
			media: {
				type: 'episode',
				id: '199',
				title: 'いいんだよ！',
				year: 2023,
				series: { id: '198', title: '16bit的感动 ANOTHER LAYER', ids: {} },
				seasonNumber: 1,
				episodeNumber: 4,
				episodeNumberEnd: null,
				ids: { tvdb: '10016505', imdb: 'tt29594122' },
				library: null,
				path: 'D:\\anime\\16bit的感动(2023)\\S01E04.mp4',
			},
			playback: null,
			played: true,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('item.rate of a series: upper-case IMDB key, handles and URLs dropped, no rating value (4.7.14)', () => {
		expect(parse(fixtureJson('emby', 'item-rate-series-4.7.14.json'))).toEqual({
			source: 'emby',
			event: 'rated',
			rawEvent: 'item.rate',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-10-30T08:43:31.762Z',
			server: DESKTOP,
			user: DESKTOP_USER,
			player: null,
			media: {
				type: 'series',
				id: '7',
				title: 'Yuri Is My Job!',
				year: 2023,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				// Dropped: "Fan Site", "Official Website" (URLs), "Reddit", "Twitter", "Wikipedia" (handles).
				ids: { tvdb: '420120', imdb: 'tt20234560', tmdb: '201949', wikidata: 'Q115166387' },
				library: null,
				path: 'D:\\anime\\百合是我的工作！',
			},
			playback: null,
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('system.webhooktest (4.7.14)', () => {
		expect(parse(fixtureJson('emby', 'system-webhooktest-4.7.14.json'))).toEqual({
			source: 'emby',
			event: 'test',
			rawEvent: 'system.webhooktest',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-11-01T12:34:42.439Z',
			server: {
				id: 'df8fe115a7f942a0a5c20aab321f43ab',
				name: '蓝芷怡 - Emby',
				version: '4.7.14.0',
			},
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

	it('system.serverrestartrequired is "other" (4.7.14)', () => {
		expect(parse(fixtureJson('emby', 'system-serverrestartrequired-4.7.14.json'))).toEqual({
			source: 'emby',
			event: 'other',
			rawEvent: 'system.serverrestartrequired',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-11-02T07:37:55.595Z',
			server: DESKTOP,
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

	// A new fixture file must get its own full-event test above before it joins this list.
	it('covers every emby fixture file', () => {
		expect(fixtureFiles('emby')).toEqual([
			'item-markplayed-episode-4.7.14.json',
			'item-rate-series-4.7.14.json',
			'library-new-episode-4.7.14.json',
			'library-new-movie-4.7.14.json',
			'playback-start-episode-4.7.13.json',
			'playback-start-movie-4.7.14.json',
			'playback-stop-episode-4.7.14.json',
			'playback-stop-movie-4.7.11.json',
			'playback-stop-movie-4.7.13.json',
			'system-serverrestartrequired-4.7.14.json',
			'system-webhooktest-4.7.14.json',
		]);
	});
});

describe('parseEmby: constructed bodies (real fixtures with one change each)', () => {
	const startEpisode = () => fixtureJson('emby', 'playback-start-episode-4.7.13.json');

	it('constructed: playback.pause is pause with paused=true', () => {
		expect(parse({ ...startEpisode(), Event: 'playback.pause' })).toMatchObject({
			event: 'pause',
			rawEvent: 'playback.pause',
			played: null,
			playback: {
				positionMs: 1425666,
				durationMs: 2802145,
				progress: 0.5088,
				paused: true,
				completed: null,
			},
		});
	});

	it('constructed: playback.unpause is resume with paused=false', () => {
		expect(parse({ ...startEpisode(), Event: 'playback.unpause' })).toMatchObject({
			event: 'resume',
			rawEvent: 'playback.unpause',
			playback: { paused: false, completed: null },
		});
	});

	it('constructed: playback.stop without PlayedToCompletion leaves completed and played unknown', () => {
		const body = { ...startEpisode(), Event: 'playback.stop' };
		const event = parse(body);
		expect(event.event).toBe('stop');
		expect(event.playback).toEqual({
			positionMs: 1425666,
			durationMs: 2802145,
			progress: 0.5088,
			paused: false,
			completed: null,
		});
		expect(event.played).toBeNull();
	});

	it('constructed: legacy playback.scrobble is watched', () => {
		const event = parse({ ...startEpisode(), Event: 'playback.scrobble' });
		expect(event.event).toBe('watched');
		expect(event.played).toBe(true);
		expect(event.playback?.paused).toBeNull();
	});

	it('constructed: item.markunplayed is unwatched with played=false', () => {
		const event = parse({
			...fixtureJson('emby', 'item-markplayed-episode-4.7.14.json'),
			Event: 'item.markunplayed',
		});
		expect(event).toMatchObject({
			event: 'unwatched',
			rawEvent: 'item.markunplayed',
			played: false,
			playback: null,
		});
		expect(event.media?.id).toBe('199');
	});

	it('constructed: system.notificationtest (4.8+ name of the test event) is test', () => {
		const event = parse({
			...fixtureJson('emby', 'system-webhooktest-4.7.14.json'),
			Event: 'system.notificationtest',
		});
		expect(event.event).toBe('test');
		expect(event.rawEvent).toBe('system.notificationtest');
	});

	it('constructed: a playback event without User has user null and keeps the rest', () => {
		const body = fixtureJson('emby', 'playback-start-movie-4.7.14.json');
		delete body.User;
		const event = parse(body);
		expect(event.user).toBeNull();
		expect(event.player).toEqual(CHROME);
		expect(event.media?.ids).toEqual(SUZUME_IDS);
	});

	it('constructed: provider keys of any case become lower-case', () => {
		const body = fixtureJson('emby', 'playback-start-movie-4.7.14.json');
		const item = body.Item as JsonObject;
		item.ProviderIds = { IMDB: 'tt16428256', TMDB: '916224', TvDb: '331904', TvMaze: '12345' };
		expect(parse(body).media?.ids).toEqual({
			imdb: 'tt16428256',
			tmdb: '916224',
			tvdb: '331904',
			tvmaze: '12345',
		});
	});

	it('constructed: non-id ProviderIds entries are dropped, real ids (EIDR, Wikidata) kept', () => {
		const body = fixtureJson('emby', 'playback-start-movie-4.7.14.json');
		const item = body.Item as JsonObject;
		item.ProviderIds = {
			Imdb: 'tt16428256',
			EIDR: '10.5240/16B9-BDA5-203F-5E1E-3EEB-9',
			Wikidata: 'Q110000000',
			'Official Website': 'https://suzume-tojimari-movie.jp/',
			Homepage: 'http://example.com/suzume',
			Wikipedia: 'Suzume_(film)',
			Twitter: 'suzume_tojimari',
			Facebook: 'suzume.movie',
			Instagram: 'suzume_movie',
			Reddit: 'Suzume',
			Tmdb: '',
		};
		expect(parse(body).media?.ids).toEqual({
			imdb: 'tt16428256',
			eidr: '10.5240/16B9-BDA5-203F-5E1E-3EEB-9',
			wikidata: 'Q110000000',
		});
	});

	it('constructed: unknown item types map to other', () => {
		const body = fixtureJson('emby', 'playback-start-movie-4.7.14.json');
		(body.Item as JsonObject).Type = 'MusicVideo';
		expect(parse(body).media?.type).toBe('other');
	});

	it('constructed: Audio and MusicAlbum map to track and album', () => {
		const body = fixtureJson('emby', 'playback-start-movie-4.7.14.json');
		(body.Item as JsonObject).Type = 'Audio';
		expect(parse(body).media?.type).toBe('track');
		(body.Item as JsonObject).Type = 'MusicAlbum';
		expect(parse(body).media?.type).toBe('album');
	});
});

describe('parseEmby: bodies that are not Emby webhooks', () => {
	it.each([
		['an empty object', {}],
		[
			'a Jellyfin body',
			{ NotificationType: 'PlaybackStart', ServerId: 'e7f44197df844fc4a503f7366b746adc' },
		],
		['a null Event', { Event: null, Server: { Id: 'x' } }],
		['an empty Event', { Event: '  ' }],
	])('constructed: %s throws PayloadError', (_name, body: JsonObject) => {
		expect(() => parse(body)).toThrow(PayloadError);
		expect(() => parse(body)).toThrow(/"Event" is missing/);
	});
});
