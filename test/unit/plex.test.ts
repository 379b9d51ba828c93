import { PayloadError, type MediaEvent } from '../../nodes/core/event';
import { parsePlex } from '../../nodes/core/parsers/plex';
import type { JsonObject } from '../../nodes/core/values';
import { fixtureJson } from '../fixtures/load';
import { context, RECEIVED_AT, testRealFixtureEvents } from './fixtures';

const parse = (body: JsonObject, userAgent?: string): MediaEvent =>
	parsePlex(body, context({ userAgent }));

describe('parsePlex: real fixtures give their hand-checked events (test/fixtures/expected/plex.ts)', () => {
	testRealFixtureEvents('plex', (file) => parse(fixtureJson('plex', file)));
});

describe('parsePlex: constructed bodies', () => {
	const scrobbleMovie = () => fixtureJson('plex', 'media-scrobble-movie.json');
	const pauseEpisode = () => fixtureJson('plex', 'media-pause-episode-legacy-agent.json');

	it('constructed: the server version comes from the PlexMediaServer User-Agent', () => {
		const event = parse(scrobbleMovie(), 'PlexMediaServer/1.40.1.8227-c0dd5a73e');
		expect(event.server).toEqual({
			id: '27a04b118b1bf1f25f8e99306785453623e18b67',
			name: 'Plex',
			version: '1.40.1.8227-c0dd5a73e',
		});
		expect(parse(scrobbleMovie(), 'python-requests/2.31.0').server.version).toBeNull();
	});

	it('constructed: media.resume is resume; playback carries viewOffset, duration and progress', () => {
		const body = scrobbleMovie();
		body.event = 'media.resume';
		(body.Metadata as JsonObject).viewOffset = 2970000;
		expect(parse(body)).toMatchObject({
			event: 'resume',
			playback: {
				positionMs: 2970000,
				durationMs: 5940000,
				progress: 0.5,
				paused: false,
				completed: null,
			},
		});
	});

	it('constructed: owner-only playback.started is other (media.play reports the same start)', () => {
		const event = parse({ ...scrobbleMovie(), event: 'playback.started' });
		expect(event.event).toBe('other');
		expect(event.rawEvent).toBe('playback.started');
		expect(event.playback?.paused).toBe(false);
	});

	it('constructed: library.new is added, library.on.deck is other with rawEvent kept', () => {
		const added = parse({ ...scrobbleMovie(), event: 'library.new' });
		expect(added).toMatchObject({ event: 'added', playback: null, media: { id: '26697' } });
		const onDeck = parse({ ...scrobbleMovie(), event: 'library.on.deck' });
		expect(onDeck).toMatchObject({ event: 'other', rawEvent: 'library.on.deck', playback: null });
	});

	it('constructed: owner-only admin.database.backup without Metadata has no media', () => {
		const body = {
			event: 'admin.database.backup',
			user: true,
			owner: true,
			Account: {
				id: 1,
				thumb: 'https://plex.tv/users/1022b120ffbaa/avatar?c=1465525047',
				title: 'elan',
			},
			Server: { title: 'Office', uuid: '54664a3d8acc39983675640ec9ce00b70af9cc36' },
		};
		expect(parse(body, 'PlexMediaServer/1.40.1.8227-c0dd5a73e')).toEqual({
			source: 'plex',
			event: 'other',
			rawEvent: 'admin.database.backup',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: {
				id: '54664a3d8acc39983675640ec9ce00b70af9cc36',
				name: 'Office',
				version: '1.40.1.8227-c0dd5a73e',
			},
			user: { id: '1', name: 'elan' },
			player: null,
			media: null,
			playback: null,
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('constructed: legacy TheTVDB guid fills season and episode numbers when the indexes are missing', () => {
		const body = pauseEpisode();
		const metadata = body.Metadata as JsonObject;
		delete metadata.index;
		delete metadata.parentIndex;
		expect(parse(body).media).toMatchObject({
			seasonNumber: 2,
			episodeNumber: 15,
			ids: {},
			series: { id: '59800', title: 'Futurama', ids: { tvdb: '73871' } },
		});
	});

	it('constructed: the DVD-order TheTVDB agent names the show too', () => {
		const body = pauseEpisode();
		(body.Metadata as JsonObject).guid = 'com.plexapp.agents.thetvdbdvdorder://73871/2/15?lang=en';
		expect(parse(body).media?.series?.ids).toEqual({ tvdb: '73871' });
	});

	it('constructed: legacy season guid and show guid give the show ids; a season number is its index', () => {
		const metadata = {
			type: 'season',
			ratingKey: '59837',
			parentRatingKey: '59800',
			guid: 'com.plexapp.agents.thetvdb://73871/2?lang=en',
			parentGuid: 'com.plexapp.agents.thetvdb://73871?lang=en',
			title: 'Season 2',
			parentTitle: 'Futurama',
			index: 2,
			librarySectionID: 2,
			librarySectionTitle: 'TV Shows',
		};
		expect(parse({ event: 'library.new', Metadata: metadata }).media).toEqual({
			type: 'season',
			id: '59837',
			title: 'Season 2',
			year: null,
			series: { id: '59800', title: 'Futurama', ids: { tvdb: '73871' } },
			seasonNumber: 2,
			episodeNumber: null,
			episodeNumberEnd: null,
			ids: {},
			library: { id: '2', name: 'TV Shows' },
			path: null,
		});
	});

	it('constructed: a show is a series and its legacy guid id is its own', () => {
		const metadata = {
			type: 'show',
			ratingKey: '59800',
			guid: 'com.plexapp.agents.thetvdb://73871?lang=en',
			title: 'Futurama',
			originallyAvailableAt: '1999-03-28',
		};
		expect(parse({ event: 'library.new', Metadata: metadata }).media).toMatchObject({
			type: 'series',
			title: 'Futurama',
			// No `year`: taken from originallyAvailableAt.
			year: 1999,
			series: null,
			ids: { tvdb: '73871' },
		});
	});

	it('constructed: legacy TheMovieDB guid gives tmdb; the none agent and plex:// give nothing', () => {
		const withGuid = (guid: string) => {
			const body = fixtureJson('plex', 'media-stop-movie-legacy-agent.json');
			(body.Metadata as JsonObject).guid = guid;
			return parse(body).media?.ids;
		};
		expect(withGuid('com.plexapp.agents.themoviedb://6978?lang=en')).toEqual({ tmdb: '6978' });
		expect(withGuid('com.plexapp.agents.none://a1b2c3d4e5f6?lang=xn')).toEqual({});
		expect(withGuid('plex://movie/5d7768313c3c2a001fbcd1f0')).toEqual({});
	});

	it('constructed: media.rate of an item never played has played=null', () => {
		const body = fixtureJson('plex', 'media-rate-movie.json');
		delete (body.Metadata as JsonObject).viewCount;
		body.rating = 8;
		expect(parse(body)).toMatchObject({ event: 'rated', rating: 8, played: null });
	});

	it('constructed: an event without Account and Player has user and player null', () => {
		const body = scrobbleMovie();
		delete body.Account;
		delete body.Player;
		expect(parse(body)).toMatchObject({ user: null, player: null });
	});
});

describe('parsePlex: bodies that are not Plex webhooks', () => {
	it.each([
		['an empty object', {}],
		['an Emby body', { Event: 'playback.start', Server: { Id: 'x', Version: '4.7.14.0' } }],
		['a non-string event', { event: { name: 'media.play' } }],
	])('constructed: %s throws PayloadError', (_name, body: JsonObject) => {
		expect(() => parse(body)).toThrow(PayloadError);
		expect(() => parse(body)).toThrow(/"event" is missing/);
	});
});
