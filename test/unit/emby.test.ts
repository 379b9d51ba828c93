import { PayloadError, type MediaEvent } from '../../nodes/core/event';
import { parseEmby } from '../../nodes/core/parsers/emby';
import type { JsonObject } from '../../nodes/core/values';
import { expectedEvent } from '../fixtures/expected/events';
import { fixtureJson } from '../fixtures/load';
import { context, RECEIVED_AT, testRealFixtureEvents } from './fixtures';

const parse = (body: JsonObject): MediaEvent => parseEmby(body, context());

// The real playback.start of a movie whose ProviderIds hold non-id entries.
const SUZUME = expectedEvent('emby', 'playback-start-movie-4.7.14.json', {
	receivedAt: RECEIVED_AT,
});

describe('parseEmby: real fixtures give their hand-checked events (test/fixtures/expected/emby.ts)', () => {
	testRealFixtureEvents('emby', (file) => parse(fixtureJson('emby', file)));
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
		expect(event.player).toEqual(SUZUME.player);
		expect(event.media?.ids).toEqual(SUZUME.media?.ids);
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
