import { PayloadError, type MediaEvent } from '../../nodes/core/event';
import { jellyfinSessionKey, parseJellyfin } from '../../nodes/core/parsers/jellyfin';
import type { JsonObject } from '../../nodes/core/values';
import {
	jellyfinWireText,
	playbackProgress,
	userDataSaved,
	type JellyfinUserData,
} from '../fixtures/jellyfinPlugin';
import { fixtureJson } from '../fixtures/load';
import { context, RECEIVED_AT, testRealFixtureEvents } from './fixtures';

const parse = (body: JsonObject): MediaEvent => parseJellyfin(body, context());

const fixture = (file: string): JsonObject => fixtureJson('jellyfin', file);
const ITEM_ADDED = 'item-added-movie-10.10.7.json';
const START_EPISODE = 'playback-start-episode-10.8.10.json';
const STOP_EPISODE = 'playback-stop-episode-10.10.3.json';
const STOP_MOVIE = 'playback-stop-movie-10.8.8.json';
const USER_DATA = 'userdatasaved-toggleplayed-episode-10.10.3.json';

// The user of the real 10.10.3 captures, as the plugin names it.
const RAIN_USER = {
	id: fixture(USER_DATA).UserId as string,
	name: fixture(USER_DATA).NotificationUsername as string,
};

describe('parseJellyfin: real fixtures give their hand-checked events (test/fixtures/expected/jellyfin.ts)', () => {
	testRealFixtureEvents('jellyfin', (file) => parse(fixture(file)));
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
