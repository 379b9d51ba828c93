import { parseJellyfin } from '../../nodes/core/parsers/jellyfin';
import {
	jellyfinWireText,
	playbackProgress,
	ticksAsTime,
	userDataSaved,
} from '../fixtures/jellyfinPlugin';
import { fixtureJson, fixtureText } from '../fixtures/load';
import { context } from './fixtures';

/** The builder of constructed Jellyfin bodies must reproduce what the plugin really sends. */
describe('constructed Jellyfin bodies match the plugin', () => {
	test('userDataSaved rebuilds the real 10.10.3 UserDataSaved capture key for key, in order', () => {
		const real = fixtureJson('jellyfin', 'userdatasaved-toggleplayed-episode-10.10.3.json');
		const rebuilt = userDataSaved(
			real,
			{ id: real.UserId as string, name: real.NotificationUsername as string },
			{
				SaveReason: 'TogglePlayed',
				Played: false,
				PlayCount: real.PlayCount as number,
				AudioStreamIndex: 2,
				SubtitleStreamIndex: 4,
			},
		);
		expect(Object.keys(rebuilt)).toEqual(Object.keys(real));
		expect(rebuilt).toEqual(real);
	});

	test('userDataSaved writes what the plugin writes for unset values', () => {
		const body = userDataSaved(
			fixtureJson('jellyfin', 'playback-stop-movie-10.8.8.json'),
			{ id: 'u', name: 'n' },
			{ SaveReason: 'UpdateUserRating', Played: false, Likes: null, Rating: null },
		);
		expect(body).toMatchObject({
			Likes: false,
			Rating: 0,
			AudioStreamIndex: -1,
			SubtitleStreamIndex: -1,
		});
		expect(body).not.toHaveProperty('LastPlayedDate');
		expect(body).not.toHaveProperty('IsPaused');
		expect(body).not.toHaveProperty('PlayedToCompletion');
	});

	test('playbackProgress keeps the real stop body and its key order, less PlayedToCompletion', () => {
		const stop = fixtureJson('jellyfin', 'playback-stop-episode-10.10.3.json');
		const progress = playbackProgress(stop, {
			IsPaused: true,
			PlaybackPositionTicks: 36_000_000_000,
		});
		expect(Object.keys(progress)).toEqual(
			Object.keys(stop).filter((key) => key !== 'PlayedToCompletion'),
		);
		expect(progress).toMatchObject({
			NotificationType: 'PlaybackProgress',
			IsPaused: true,
			IsAutomated: false,
			PlaybackPosition: '01:00:00',
		});
	});

	test('encoding: "+" as \\u002B, as in the real 10.8.8 capture', () => {
		const title = fixtureJson('jellyfin', 'playback-stop-movie-10.8.8.json').Audio_0_Title;
		expect(fixtureText('jellyfin', 'playback-stop-movie-10.8.8.json')).toContain(
			`"Audio_0_Title": ${jellyfinWireText({ title }).slice('{"title":'.length, -1)}`,
		);
	});

	test('encoding: quotes pre-escaped in display fields, non-ASCII and emoji as \\u escapes', () => {
		expect(jellyfinWireText({ Name: 'A "B" é 🎬', Path: 'a"b' })).toBe(
			'{"Name":"A \\\\\\u0022B\\\\\\u0022 \\u00E9 \\uD83C\\uDFAC","Path":"a\\u0022b"}',
		);
	});

	test('the parser reads the wire form back to the display text', () => {
		const title = 'He Said "Hi" + Goodbye — Ünïcödé 🎬';
		const body = { ...fixtureJson('jellyfin', 'playback-stop-movie-10.8.8.json'), Name: title };
		const event = parseJellyfin(JSON.parse(jellyfinWireText(body)), context());
		expect(event.media?.title).toBe(title);
	});

	test('ticksAsTime is hh:mm:ss', () => {
		expect(ticksAsTime(0)).toBe('00:00:00');
		expect(ticksAsTime(64_274_240_000)).toBe('01:47:07');
	});
});
