import { PayloadError, type MediaEvent } from '../../nodes/core/event';
import { parsePlex } from '../../nodes/core/parsers/plex';
import type { JsonObject } from '../../nodes/core/values';
import { fixtureFiles, fixtureJson } from '../fixtures/load';
import { context, RECEIVED_AT } from './fixtures';

const parse = (body: JsonObject, userAgent?: string): MediaEvent =>
	parsePlex(body, context({ userAgent }));

const BIG_TROUBLE_SERVER = {
	id: '27a04b118b1bf1f25f8e99306785453623e18b67',
	name: 'Plex',
	version: null,
};
const SHIELD = { device: 'SHIELD Android TV', client: null, address: '92.11.74.228', local: true };
const BIG_TROUBLE = {
	type: 'movie',
	id: '26697',
	title: 'Big Trouble in Little China',
	year: 1986,
	series: null,
	seasonNumber: null,
	episodeNumber: null,
	episodeNumberEnd: null,
	ids: { imdb: 'tt0090728', tmdb: '6978', tvdb: '1876' },
	library: { id: '1', name: 'Movies' },
	path: null,
};

describe('parsePlex: real fixtures', () => {
	it('media.play of a track (the Plex support article example)', () => {
		expect(parse(fixtureJson('plex', 'media-play-track-official-docs-example.json'))).toEqual({
			source: 'plex',
			event: 'play',
			rawEvent: 'media.play',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: { id: '54664a3d8acc39983675640ec9ce00b70af9cc36', name: 'Office', version: null },
			user: { id: '1', name: 'elan' },
			player: {
				device: 'Plex Web (Safari)',
				client: null,
				address: '200.200.200.200',
				local: true,
			},
			media: {
				type: 'track',
				id: '1936545',
				title: "Love The One You're With",
				year: null,
				series: null,
				// index/parentIndex of a track are track and disc numbers, not season and episode.
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				// com.plexapp.agents.plexmusic://gracenote/… names no provider we map.
				ids: {},
				library: { id: '1224', name: null },
				path: null,
			},
			playback: {
				positionMs: null,
				durationMs: null,
				progress: null,
				paused: false,
				completed: null,
			},
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('media.pause of an episode with a legacy TheTVDB guid: show id goes to series.ids', () => {
		expect(parse(fixtureJson('plex', 'media-pause-episode-legacy-agent.json'))).toEqual({
			source: 'plex',
			event: 'pause',
			rawEvent: 'media.pause',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: { id: 'obfuscated', name: 'nice', version: null },
			user: { id: '1', name: 'testyboi' },
			player: { device: 'Chrome', client: null, address: '200.200.200.200', local: false },
			media: {
				type: 'episode',
				id: '59852',
				title: 'A Clone of My Own',
				year: 2000,
				series: { id: '59800', title: 'Futurama', ids: { tvdb: '73871' } },
				seasonNumber: 2,
				episodeNumber: 15,
				episodeNumberEnd: null,
				ids: {},
				library: { id: '2', name: 'TV Shows' },
				path: null,
			},
			// No duration in this payload, so no progress.
			playback: {
				positionMs: 1127000,
				durationMs: null,
				progress: null,
				paused: true,
				completed: null,
			},
			// viewCount 2: the episode was played before.
			played: true,
			// Metadata.rating (7.2) is the critic rating, not a user rating event.
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('media.stop of a movie with a legacy IMDb guid', () => {
		expect(parse(fixtureJson('plex', 'media-stop-movie-legacy-agent.json'))).toEqual({
			source: 'plex',
			event: 'stop',
			rawEvent: 'media.stop',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: { id: 'adsfadsfasdfadfa', name: 'what', version: null },
			user: { id: '1', name: 'testyboi' },
			player: { device: 'Chrome', client: null, address: '200.200.200.200', local: false },
			media: {
				type: 'movie',
				id: '75580',
				title: 'Barry Lyndon',
				year: 1975,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { imdb: 'tt0072684' },
				library: { id: '1', name: 'Movies' },
				path: null,
			},
			playback: {
				positionMs: null,
				durationMs: 11040000,
				progress: null,
				paused: false,
				completed: null,
			},
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('media.scrobble of a movie with the Guid array (new agent)', () => {
		expect(parse(fixtureJson('plex', 'media-scrobble-movie.json'))).toEqual({
			source: 'plex',
			event: 'watched',
			rawEvent: 'media.scrobble',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: BIG_TROUBLE_SERVER,
			user: { id: '1', name: 'title' },
			player: SHIELD,
			media: BIG_TROUBLE,
			playback: {
				positionMs: null,
				durationMs: 5940000,
				progress: null,
				paused: false,
				completed: null,
			},
			played: true,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('media.rate of a movie carries the top-level rating', () => {
		expect(parse(fixtureJson('plex', 'media-rate-movie.json'))).toEqual({
			source: 'plex',
			event: 'rated',
			rawEvent: 'media.rate',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: BIG_TROUBLE_SERVER,
			user: { id: '1', name: 'title' },
			player: SHIELD,
			media: BIG_TROUBLE,
			playback: null,
			played: true,
			rating: 4,
			favorite: null,
			liked: null,
		});
	});

	it('media.scrobble of an episode sent to the owner for another account', () => {
		expect(parse(fixtureJson('plex', 'media-scrobble-episode.json'))).toEqual({
			source: 'plex',
			event: 'watched',
			rawEvent: 'media.scrobble',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: { id: 'xxxx', name: 'Media-Server', version: null },
			user: { id: '31646104', name: '播放' },
			player: { device: 'MagicBook', client: null, address: 'xx.xx.xx.xx', local: false },
			media: {
				type: 'episode',
				id: '40294',
				title: "The World's Strongest Senior",
				year: 2021,
				// grandparentGuid is plex://show/…, which holds no provider id.
				series: { id: '40275', title: '范马刃牙', ids: {} },
				seasonNumber: 1,
				episodeNumber: 1,
				episodeNumberEnd: null,
				// Guid entries of an episode are the episode's own ids.
				ids: { imdb: 'tt14765720', tmdb: '3087250', tvdb: '8530933' },
				library: { id: '7', name: '动漫剧集' },
				path: null,
			},
			playback: {
				positionMs: null,
				durationMs: 1500000,
				progress: null,
				paused: false,
				completed: null,
			},
			played: true,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	// A new fixture file must get its own full-event test above before it joins this list.
	it('covers every plex fixture file', () => {
		expect(fixtureFiles('plex')).toEqual([
			'media-pause-episode-legacy-agent.json',
			'media-play-track-official-docs-example.json',
			'media-rate-movie.json',
			'media-scrobble-episode.json',
			'media-scrobble-movie.json',
			'media-stop-movie-legacy-agent.json',
		]);
	});
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
