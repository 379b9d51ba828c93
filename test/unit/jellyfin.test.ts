import { PayloadError, type MediaEvent } from '../../nodes/core/event';
import { jellyfinSessionKey, parseJellyfin } from '../../nodes/core/parsers/jellyfin';
import type { JsonObject } from '../../nodes/core/values';
import {
	jellyfinWireText,
	playbackProgress,
	userDataSaved,
	type JellyfinUserData,
} from '../fixtures/jellyfinPlugin';
import { fixtureFiles, fixtureJson } from '../fixtures/load';
import { context, RECEIVED_AT } from './fixtures';

const parse = (body: JsonObject): MediaEvent => parseJellyfin(body, context());

const fixture = (file: string): JsonObject => fixtureJson('jellyfin', file);
const ITEM_ADDED = 'item-added-movie-10.10.7.json';
const START_EPISODE = 'playback-start-episode-10.8.10.json';
const STOP_EPISODE = 'playback-stop-episode-10.10.3.json';
const STOP_MOVIE = 'playback-stop-movie-10.8.8.json';
const USER_DATA = 'userdatasaved-toggleplayed-episode-10.10.3.json';

// Servers, users and items as they appear in the real fixtures.
const RAIN_SERVER = { id: '16588a9f062a40c4966586b1d220bffc', name: 'Rain', version: '10.10.3' };
const RAIN_USER = { id: '02700c8344d542619b39319296c0d4c7', name: 'Rain' };
const UNDERTAKER = {
	type: 'episode',
	id: '9250ab3d1101d01705c353b78cbb572e',
	title: 'Undertaker',
	year: 2021,
	series: { id: '0f60e6e72a0890329b0015e48f4b655f', title: '86 Eighty-Six', ids: {} },
	seasonNumber: 1,
	episodeNumber: 1,
	episodeNumberEnd: null,
	ids: { anidb: '238801' },
	library: null,
	path: null,
};

describe('parseJellyfin: real fixtures', () => {
	it('ItemAdded of a movie: no user, no player, no playback (10.10.7)', () => {
		expect(parse(fixture(ITEM_ADDED))).toEqual({
			source: 'jellyfin',
			event: 'added',
			rawEvent: 'ItemAdded',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2025-08-18T18:35:28.309Z',
			server: { id: '35b84455fff6406296cced109801e4b8', name: 'Media', version: '10.10.7' },
			user: null,
			player: null,
			media: {
				type: 'movie',
				id: 'f8fa7a608e0a60f502854d0b36c2fd6d',
				title: 'Free Guy',
				year: 2021,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { imdb: 'tt6264654', tmdb: '550988', tmdbcollection: '861415' },
				library: null,
				path: null,
			},
			playback: null,
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('PlaybackStart of an episode without SeriesId or PremiereDate (10.8.10)', () => {
		expect(parse(fixture(START_EPISODE))).toEqual({
			source: 'jellyfin',
			event: 'play',
			rawEvent: 'PlaybackStart',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-09-10T08:35:25.399Z',
			server: {
				id: 'd79d3a6261614419a114595a585xxxxx',
				name: 'nyanmisaka-jellyfin1',
				version: '10.8.10',
			},
			user: { id: '9783d2432b0d40a8a716b6aa46xxxxx', name: 'Jeaven' },
			player: { device: 'Edge Chromium', client: 'Jellyfin Web', address: null, local: null },
			media: {
				type: 'episode',
				id: '4b92551344f53b560fb55cd6700xxxxx',
				title: '慕灼华逃婚离开',
				// No PremiereDate in this body, so the year falls back to Year.
				year: 2023,
				series: { id: null, title: '灼灼风流', ids: {} },
				seasonNumber: 1,
				episodeNumber: 1,
				episodeNumberEnd: null,
				ids: { tmdb: '229210' },
				library: null,
				path: null,
			},
			// 1,000,000 ticks = 100 ms of 2,707,499 ms: progress rounds to 0.
			playback: {
				positionMs: 100,
				durationMs: 2707499,
				progress: 0,
				paused: false,
				completed: null,
			},
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('PlaybackStop of an episode part-way, with session keys (10.10.3)', () => {
		expect(parse(fixture(STOP_EPISODE))).toEqual({
			source: 'jellyfin',
			event: 'stop',
			rawEvent: 'PlaybackStop',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2025-08-15T21:19:42.364Z',
			server: RAIN_SERVER,
			user: RAIN_USER,
			player: { device: 'Chrome', client: 'Jellyfin Web', address: '127.0.0.1', local: null },
			media: UNDERTAKER,
			playback: {
				positionMs: 5672,
				durationMs: 1421097,
				progress: 0.004,
				paused: false,
				completed: false,
			},
			played: null,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('PlaybackStop of a movie played to completion (10.8.8)', () => {
		expect(parse(fixture(STOP_MOVIE))).toEqual({
			source: 'jellyfin',
			event: 'stop',
			rawEvent: 'PlaybackStop',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2023-01-04T06:36:12.853Z',
			server: { id: 'e7f44197df844fc4a503f7366b746adc', name: 'leepe-pc', version: '10.8.8' },
			user: { id: '50e1109a03fd4e13a3a5dd9bb27e08ec', name: 'jellyfin' },
			player: { device: 'Firefox', client: 'Jellyfin Web', address: null, local: null },
			media: {
				type: 'movie',
				id: '9871a124b152901edc3aafa0f374d14e',
				title: 'The Menu',
				year: 2022,
				series: null,
				seasonNumber: null,
				episodeNumber: null,
				episodeNumberEnd: null,
				ids: { tmdb: '593643', imdb: 'tt9764362' },
				library: null,
				path: null,
			},
			playback: {
				positionMs: 454923,
				durationMs: 6427424,
				progress: 0.0708,
				paused: false,
				completed: true,
			},
			played: true,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('UserDataSaved TogglePlayed with Played false is unwatched (10.10.3)', () => {
		expect(parse(fixture(USER_DATA))).toEqual({
			source: 'jellyfin',
			event: 'unwatched',
			rawEvent: 'UserDataSaved',
			reason: 'TogglePlayed',
			receivedAt: RECEIVED_AT,
			occurredAt: '2025-08-15T21:10:08.769Z',
			server: RAIN_SERVER,
			user: RAIN_USER,
			player: null,
			media: UNDERTAKER,
			playback: {
				positionMs: 0,
				durationMs: 1421097,
				progress: 0,
				paused: null,
				completed: null,
			},
			played: false,
			rating: null,
			favorite: false,
			liked: false,
		});
	});

	// A new fixture file must get its own full-event test above before it joins this list.
	it('covers every jellyfin fixture file', () => {
		expect(fixtureFiles('jellyfin')).toEqual([
			ITEM_ADDED,
			START_EPISODE,
			STOP_EPISODE,
			STOP_MOVIE,
			USER_DATA,
		]);
	});
});

/** The Generic Form destination posts every property as text: .NET writes booleans as "True"/"False". */
function asGenericForm(body: JsonObject): JsonObject {
	const form: JsonObject = {};
	for (const [key, value] of Object.entries(body)) {
		if (value === null) continue;
		form[key] = typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value);
	}
	return form;
}

describe('parseJellyfin: constructed bodies (real fixtures with one change each)', () => {
	it('constructed: no UserId and no NotificationUsername gives user null', () => {
		const body = fixture(STOP_EPISODE);
		delete body.UserId;
		delete body.NotificationUsername;
		const event = parse(body);
		expect(event.user).toBeNull();
		expect(event.player?.device).toBe('Chrome');
	});

	it('constructed: only a NotificationUsername still gives a user', () => {
		const body = fixture(STOP_EPISODE);
		delete body.UserId;
		expect(parse(body).user).toEqual({ id: null, name: 'Rain' });
	});

	it('constructed: no Provider_* keys gives ids {}', () => {
		const body = fixture(STOP_MOVIE);
		delete body.Provider_tmdb;
		delete body.Provider_imdb;
		expect(parse(body).media?.ids).toEqual({});
	});

	it('constructed: a \\u002B escape in Name decodes to +', () => {
		// The 10.8.8 fixture shows the plugin escaping "+" as \u002B (in Audio_0_Title, not a mapped field).
		const raw = JSON.stringify(fixture(STOP_MOVIE)).replace(
			'"Name":"The Menu"',
			'"Name":"The Menu\\u002B"',
		);
		expect(raw).toContain('The Menu\\u002B');
		expect(parse(JSON.parse(raw) as JsonObject).media?.title).toBe('The Menu+');
	});

	it('constructed: the plugin\'s \\" pre-escape in Name, SeriesName and NotificationUsername is undone', () => {
		const event = parse({
			...fixture(STOP_EPISODE),
			Name: 'The \\"Undertaker\\"',
			SeriesName: '86 \\"Eighty-Six\\"',
			NotificationUsername: 'Rain \\"R\\"',
		});
		expect(event.media?.title).toBe('The "Undertaker"');
		expect(event.media?.series?.title).toBe('86 "Eighty-Six"');
		expect(event.user?.name).toBe('Rain "R"');
	});

	it('constructed: unknown NotificationType without item keys is other with media null', () => {
		const { ServerId, ServerName, ServerVersion, ServerUrl, Timestamp, UtcTimestamp } =
			fixture(ITEM_ADDED);
		expect(
			parse({
				ServerId,
				ServerName,
				ServerVersion,
				ServerUrl,
				NotificationType: 'PluginInstalled',
				Timestamp,
				UtcTimestamp,
				PluginId: 'a1b2c3',
				PluginName: 'Webhook',
			}),
		).toEqual({
			source: 'jellyfin',
			event: 'other',
			rawEvent: 'PluginInstalled',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: '2025-08-18T18:35:28.309Z',
			server: { id: '35b84455fff6406296cced109801e4b8', name: 'Media', version: '10.10.7' },
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

	it.each([START_EPISODE, STOP_EPISODE, STOP_MOVIE, USER_DATA, ITEM_ADDED])(
		'constructed: Generic Form strings ("True"/"False", numbers as text) give the same event as JSON: %s',
		(file) => {
			const body = fixture(file);
			const form = asGenericForm(body);
			expect(typeof form.RunTimeTicks).toBe('string');
			expect(parse(form)).toEqual(parse(body));
		},
	);

	it('constructed: Generic Form "True" for PlayedToCompletion completes the stop', () => {
		const form = asGenericForm(fixture(STOP_EPISODE));
		expect(form.PlayedToCompletion).toBe('False');
		const event = parse({ ...form, PlayedToCompletion: 'True' });
		expect(event.playback?.completed).toBe(true);
		expect(event.played).toBe(true);
	});

	describe('constructed: UserDataSaved SaveReason', () => {
		// Built as the plugin would send it for the real capture's item and user, then decoded as n8n does.
		const userData = (data: Partial<JellyfinUserData>) =>
			parse(
				JSON.parse(
					jellyfinWireText(
						userDataSaved(fixture(USER_DATA), RAIN_USER, {
							SaveReason: 'TogglePlayed',
							Played: false,
							...data,
						}),
					),
				),
			);

		it('constructed: TogglePlayed with Played true is watched', () => {
			const event = userData({ SaveReason: 'TogglePlayed', Played: true });
			expect(event).toMatchObject({ event: 'watched', reason: 'TogglePlayed', played: true });
		});

		it('constructed: TogglePlayed with Played false is unwatched', () => {
			const event = userData({ SaveReason: 'TogglePlayed', Played: false });
			expect(event).toMatchObject({ event: 'unwatched', reason: 'TogglePlayed', played: false });
		});

		it('constructed: a body without Played (the plugin always sends it) is other', () => {
			const body = fixture(USER_DATA);
			delete body.Played;
			expect(parse(body)).toMatchObject({ event: 'other', played: null });
		});

		it('constructed: PlaybackFinished with Played true is watched', () => {
			const event = userData({ SaveReason: 'PlaybackFinished', Played: true });
			expect(event).toMatchObject({ event: 'watched', reason: 'PlaybackFinished', played: true });
		});

		it('constructed: PlaybackFinished with Played false is other', () => {
			const event = userData({ SaveReason: 'PlaybackFinished', Played: false });
			expect(event).toMatchObject({ event: 'other', played: false });
		});

		it('constructed: PlaybackProgress is other', () => {
			const event = userData({ SaveReason: 'PlaybackProgress', Played: false });
			expect(event).toMatchObject({ event: 'other', reason: 'PlaybackProgress', rating: null });
		});

		// UpdateUserRating only toggles the favourite or like/dislike; the plugin still sends Rating, as 0.
		it('constructed: UpdateUserRating (favourite and like on) is rated with favorite and liked, no rating', () => {
			const event = userData({ SaveReason: 'UpdateUserRating', Favorite: true, Likes: true });
			expect(event).toMatchObject({
				event: 'rated',
				reason: 'UpdateUserRating',
				rating: null,
				favorite: true,
				liked: true,
			});
		});

		it('constructed: UpdateUserRating (favourite off) says so', () => {
			const event = userData({ SaveReason: 'UpdateUserRating', Favorite: false, Likes: false });
			expect(event).toMatchObject({ event: 'rated', rating: null, favorite: false, liked: false });
		});

		it('constructed: UpdateUserData (the API update that sets a rating) carries the rating', () => {
			const event = userData({ SaveReason: 'UpdateUserData', Rating: 8.5 });
			expect(event).toMatchObject({ event: 'other', reason: 'UpdateUserData', rating: 8.5 });
		});

		it('constructed: Rating 0 (what the plugin sends for none) is no rating', () => {
			expect(userData({ SaveReason: 'UpdateUserData', Rating: 0 }).rating).toBeNull();
		});

		it('constructed: Rating is ignored on other save reasons', () => {
			expect(userData({ Rating: 8.5 }).rating).toBeNull();
		});
	});

	it('constructed: PlaybackStop with PlayedToCompletion true is stop, completed and played', () => {
		const event = parse({ ...fixture(STOP_EPISODE), PlayedToCompletion: true });
		expect(event.event).toBe('stop');
		expect(event.playback?.completed).toBe(true);
		expect(event.played).toBe(true);
	});

	it('constructed: PlaybackProgress is progress with the paused flag', () => {
		const event = parse(playbackProgress(fixture(START_EPISODE), { IsPaused: true }));
		expect(event).toMatchObject({
			event: 'progress',
			rawEvent: 'PlaybackProgress',
			playback: { paused: true, completed: null },
			played: null,
		});
	});

	it('constructed: an episode takes its year from PremiereDate, not Year', () => {
		const body = { ...fixture(STOP_EPISODE), Year: 2019, PremiereDate: '2021-04-11' };
		expect(parse(body).media?.year).toBe(2021);
	});

	it('constructed: a movie takes its year from Year, not PremiereDate', () => {
		const body = { ...fixture(ITEM_ADDED), Year: 2021, PremiereDate: '2020-01-01' };
		expect(parse(body).media?.year).toBe(2021);
	});

	it('constructed: a Season item has its series set', () => {
		const media = parse({
			...fixture(STOP_EPISODE),
			ItemType: 'Season',
			Name: 'Season 1',
		}).media;
		expect(media).toMatchObject({
			type: 'season',
			title: 'Season 1',
			series: { id: '0f60e6e72a0890329b0015e48f4b655f', title: '86 Eighty-Six', ids: {} },
		});
	});

	it('constructed: a Series item has no series', () => {
		const media = parse({ ...fixture(STOP_EPISODE), ItemType: 'Series' }).media;
		expect(media?.type).toBe('series');
		expect(media?.series).toBeNull();
	});

	it('constructed: Audio and MusicAlbum map to track and album; unknown types to other', () => {
		const typeOf = (ItemType: string) => parse({ ...fixture(STOP_MOVIE), ItemType }).media?.type;
		expect(typeOf('Audio')).toBe('track');
		expect(typeOf('MusicAlbum')).toBe('album');
		expect(typeOf('MusicVideo')).toBe('other');
	});

	it('constructed: EpisodeNumberEnd of a multi-episode file', () => {
		const media = parse({ ...fixture(STOP_EPISODE), EpisodeNumberEnd: 2 }).media;
		expect(media?.episodeNumber).toBe(1);
		expect(media?.episodeNumberEnd).toBe(2);
	});

	it('constructed: without UtcTimestamp, Timestamp gives occurredAt', () => {
		const body = fixture(STOP_MOVIE);
		delete body.UtcTimestamp;
		expect(parse(body).occurredAt).toBe('2023-01-04T06:36:12.853Z');
	});
});

describe('parseJellyfin: bodies that are not Jellyfin webhooks', () => {
	it.each([
		['an empty object', {}],
		[
			'the real movie stop without NotificationType',
			{ ...fixture(STOP_MOVIE), NotificationType: undefined },
		],
		['an empty NotificationType', { NotificationType: ' ', ServerId: 'x' }],
		['an Emby body', { Event: 'playback.start', Server: { Id: 'x' } }],
	])(
		'constructed: %s throws PayloadError naming "Send All Properties"',
		(_name, body: JsonObject) => {
			expect(() => parse(body)).toThrow(PayloadError);
			expect(() => parse(body)).toThrow(/"NotificationType" is missing/);
			expect(() => parse(body)).toThrow(/"Send All Properties"/);
		},
	);
});

describe('jellyfinSessionKey', () => {
	it('uses the session Id and ItemId when the body has Id (real 10.10.3 stop)', () => {
		expect(jellyfinSessionKey(fixture(STOP_EPISODE))).toBe(
			'9cb4553bed5350f41ab2c507d627a56b:9250ab3d1101d01705c353b78cbb572e',
		);
	});

	it('falls back to DeviceId:UserId:ItemId without Id (real 10.8.10 start)', () => {
		expect(jellyfinSessionKey(fixture(START_EPISODE))).toBe(
			'TW96aWxsxxxxxjA:9783d2432b0d40a8a716b6aa46xxxxx:4b92551344f53b560fb55cd6700xxxxx',
		);
	});

	it('constructed: missing parts become empty segments', () => {
		expect(jellyfinSessionKey({ Id: 'session-1' })).toBe('session-1:');
		expect(jellyfinSessionKey({ UserId: 'u', ItemId: 'i' })).toBe(':u:i');
		expect(jellyfinSessionKey({})).toBe('::');
	});

	it('constructed: the same session on another item is another key', () => {
		const body = fixture(STOP_EPISODE);
		expect(jellyfinSessionKey({ ...body, ItemId: 'other-item' })).not.toBe(
			jellyfinSessionKey(body),
		);
	});
});
