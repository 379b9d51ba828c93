/**
 * Kodi's JSON-RPC notifications (`VideoLibrary.OnUpdate`, `Player.OnPlay`, …) as the normalized media event. A
 * notification names the item only by type and id, so the trigger looks the item up over HTTP and hands the
 * details in here. Pure code, no n8n imports.
 */
import {
	makePlayback,
	type MediaEvent,
	type MediaEventType,
	type MediaItem,
	type MediaServerInfo,
} from '../event';
import { normalizeIds } from '../providerIds';
import { bool, int, isObject, objectAt, text, type JsonObject } from '../values';

export interface KodiNotification {
	method: string;
	data: JsonObject;
}

/** A JSON-RPC notification (a method and no id), or null for anything else on the socket. */
export function kodiNotification(message: unknown): KodiNotification | null {
	if (!isObject(message) || typeof message.method !== 'string' || 'id' in message) return null;
	return { method: message.method, data: objectAt(objectAt(message.params)?.data) ?? {} };
}

const PLAYER_EVENTS = new Map<string, MediaEventType>([
	['Player.OnPlay', 'play'],
	['Player.OnResume', 'resume'],
	['Player.OnPause', 'pause'],
	['Player.OnStop', 'stop'],
]);

export function kodiEventType(notification: KodiNotification): MediaEventType {
	const player = PLAYER_EVENTS.get(notification.method);
	if (player) return player;
	if (notification.method === 'VideoLibrary.OnUpdate') {
		const playcount = int(notification.data.playcount);
		if (playcount !== null) return playcount > 0 ? 'watched' : 'unwatched';
		if (bool(notification.data.added) === true) return 'added';
	}
	return 'other';
}

/** The item a notification is about: `{type, id}` of Kodi's library, or a title for files outside it. */
export function kodiItemRef(
	notification: KodiNotification,
): { type: string; id: number | null; title: string | null } | null {
	const item = objectAt(notification.data.item);
	if (item === null) return null;
	return { type: text(item.type) ?? 'unknown', id: int(item.id), title: text(item.title) };
}

/** What `VideoLibrary.GetMovieDetails` / `GetEpisodeDetails` (and the episode's show) answer. */
export interface KodiItemDetails {
	title?: string;
	year?: number;
	uniqueid?: Record<string, string>;
	season?: number;
	episode?: number;
	showtitle?: string;
	tvshowid?: number;
	file?: string;
	playcount?: number;
	firstaired?: string;
	show?: { title?: string; uniqueid?: Record<string, string> } | null;
}

function media(
	ref: NonNullable<ReturnType<typeof kodiItemRef>>,
	details: KodiItemDetails | null,
): MediaItem {
	const type = ref.type === 'movie' ? 'movie' : ref.type === 'episode' ? 'episode' : 'other';
	const episode = type === 'episode';
	const showId = int(details?.tvshowid);
	return {
		type,
		id: ref.id === null ? null : `${ref.type}:${ref.id}`,
		title: text(details?.title) ?? ref.title,
		year: episode ? int(text(details?.firstaired)?.slice(0, 4)) : int(details?.year) || null,
		series: episode
			? {
					id: showId === null ? null : `tvshow:${showId}`,
					title: text(details?.show?.title) ?? text(details?.showtitle),
					ids: normalizeIds(details?.show?.uniqueid),
				}
			: null,
		seasonNumber: episode ? int(details?.season) : null,
		episodeNumber: episode ? int(details?.episode) : null,
		episodeNumberEnd: null,
		ids: normalizeIds(details?.uniqueid),
		library: null,
		path: text(details?.file),
	};
}

export function parseKodi(
	notification: KodiNotification,
	details: KodiItemDetails | null,
	context: { receivedAt: Date; server: MediaServerInfo },
): MediaEvent {
	const event = kodiEventType(notification);
	const ref = kodiItemRef(notification);
	const isPlayer = notification.method.startsWith('Player.');
	const speed = int(objectAt(notification.data.player)?.speed);
	const playcount = int(notification.data.playcount) ?? int(details?.playcount);
	return {
		source: 'kodi',
		event,
		rawEvent: notification.method,
		reason: null,
		receivedAt: context.receivedAt.toISOString(),
		// Kodi's notifications carry no time.
		occurredAt: null,
		server: context.server,
		user: null,
		player: isPlayer
			? { device: context.server.name, client: 'Kodi', address: null, local: true }
			: null,
		media: ref ? media(ref, details) : null,
		playback: isPlayer
			? makePlayback({
					positionMs: null,
					durationMs: null,
					paused: speed === null ? null : speed === 0,
					completed:
						notification.method === 'Player.OnStop' ? (bool(notification.data.end) ?? null) : null,
				})
			: null,
		played: playcount === null ? null : playcount > 0,
		rating: null,
		favorite: null,
		liked: null,
	};
}
