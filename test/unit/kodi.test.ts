import { kodiEventType, kodiNotification, parseKodi } from '../../nodes/core/parsers/kodi';
import { RECEIVED_AT } from './fixtures';

// Notifications constructed from the shapes a real Kodi 20 sent in shared/research/kodi.md (and, for real, in
// test/kodi/): method + params.data, no id.
const notification = (method: string, data: Record<string, unknown>) =>
	kodiNotification({ jsonrpc: '2.0', method, params: { data, sender: 'xbmc' } })!;
const SERVER = { id: null, name: 'Kodi (127.0.0.1)', version: '20.1' };
const context = { receivedAt: new Date(RECEIVED_AT), server: SERVER };

describe('Kodi notifications', () => {
	it.each([
		['VideoLibrary.OnUpdate', { item: { id: 2, type: 'movie' }, playcount: 1 }, 'watched'],
		['VideoLibrary.OnUpdate', { item: { id: 2, type: 'movie' }, playcount: 0 }, 'unwatched'],
		['VideoLibrary.OnUpdate', { item: { id: 7, type: 'episode' }, added: true }, 'added'],
		['VideoLibrary.OnUpdate', { item: { id: 2, type: 'movie' } }, 'other'],
		[
			'Player.OnPlay',
			{ item: { id: 2, type: 'movie' }, player: { playerid: 1, speed: 1 } },
			'play',
		],
		[
			'Player.OnPause',
			{ item: { id: 2, type: 'movie' }, player: { playerid: 1, speed: 0 } },
			'pause',
		],
		[
			'Player.OnResume',
			{ item: { id: 2, type: 'movie' }, player: { playerid: 1, speed: 1 } },
			'resume',
		],
		['Player.OnStop', { item: { id: 2, type: 'movie' }, end: true }, 'stop'],
		['VideoLibrary.OnScanFinished', {}, 'other'],
		['Player.OnAVStart', { item: { id: 2, type: 'movie' } }, 'other'],
	])('%s %j → %s', (method, data, event) => {
		expect(kodiEventType(notification(method, data))).toBe(event);
	});

	it('answers to requests and non-objects are not notifications', () => {
		expect(kodiNotification({ jsonrpc: '2.0', id: 1, result: 'pong' })).toBeNull();
		expect(kodiNotification('x')).toBeNull();
		expect(kodiNotification({ jsonrpc: '2.0', method: 'constructor', params: null })).toEqual({
			method: 'constructor',
			data: {},
		});
		expect(kodiEventType(notification('constructor', {}))).toBe('other');
	});

	it('an episode marked watched, with the looked-up details and its show', () => {
		const event = parseKodi(
			notification('VideoLibrary.OnUpdate', { item: { id: 34, type: 'episode' }, playcount: 1 }),
			{
				title: 'He Said "Hi" \\ 🎬',
				season: 1,
				episode: 2,
				tvshowid: 3,
				firstaired: '2023-04-05',
				uniqueid: { tvdb: '9100102' },
				file: '/srv/media/TV/The Show/Season 01/The Show - S01E02.mkv',
				playcount: 1,
				show: { title: 'The Show', uniqueid: { tvdb: '778899', tmdb: '4242' } },
			},
			context,
		);
		expect(event).toEqual({
			source: 'kodi',
			event: 'watched',
			rawEvent: 'VideoLibrary.OnUpdate',
			reason: null,
			receivedAt: RECEIVED_AT,
			occurredAt: null,
			server: SERVER,
			user: null,
			player: null,
			media: {
				type: 'episode',
				id: 'episode:34',
				title: 'He Said "Hi" \\ 🎬',
				year: 2023,
				series: { id: 'tvshow:3', title: 'The Show', ids: { tvdb: '778899', tmdb: '4242' } },
				seasonNumber: 1,
				episodeNumber: 2,
				episodeNumberEnd: null,
				ids: { tvdb: '9100102' },
				library: null,
				path: '/srv/media/TV/The Show/Season 01/The Show - S01E02.mkv',
			},
			playback: null,
			played: true,
			rating: null,
			favorite: null,
			liked: null,
		});
	});

	it('a stop at the end of a movie, without details (the lookup failed)', () => {
		const event = parseKodi(
			notification('Player.OnStop', { item: { id: 2, type: 'movie' }, end: true }),
			null,
			context,
		);
		expect(event).toMatchObject({
			event: 'stop',
			player: { device: 'Kodi (127.0.0.1)', client: 'Kodi', address: null, local: true },
			media: { type: 'movie', id: 'movie:2', title: null, ids: {} },
			playback: { completed: true, paused: null },
			played: null,
		});
	});

	it('a file outside the library keeps its title', () => {
		const event = parseKodi(
			notification('Player.OnPlay', {
				item: { type: 'unknown', title: 'clip.mkv' },
				player: { speed: 1 },
			}),
			null,
			context,
		);
		expect(event.media).toMatchObject({ type: 'other', id: null, title: 'clip.mkv' });
		expect(event.playback?.paused).toBe(false);
	});
});
