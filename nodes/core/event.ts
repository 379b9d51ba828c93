/**
 * The normalized media event: the one shape every trigger in this package emits, whichever server sent the
 * webhook. Pure types and helpers, no n8n imports, so parsers stay easy to test and read.
 */

export const MEDIA_SOURCES = ['jellyfin', 'emby', 'plex', 'tautulli', 'kodi'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];

export const MEDIA_EVENT_TYPES = [
	'play',
	'pause',
	'resume',
	'stop',
	'progress',
	'watched',
	'unwatched',
	'added',
	'rated',
	'test',
	'other',
] as const;
export type MediaEventType = (typeof MEDIA_EVENT_TYPES)[number];

export const MEDIA_TYPES = [
	'movie',
	'episode',
	'season',
	'series',
	'track',
	'album',
	'other',
] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** Jellyfin and Emby (one code lineage) name item types by their .NET class (`BaseItemKind`). */
export const DOTNET_ITEM_TYPES: Record<string, MediaType> = {
	Movie: 'movie',
	Episode: 'episode',
	Season: 'season',
	Series: 'series',
	Audio: 'track',
	MusicAlbum: 'album',
};

/** Provider ids with lower-case keys (imdb, tmdb, tvdb, tvmaze, anidb, …); values are always strings. */
export type ProviderIds = Record<string, string>;

export interface MediaServerInfo {
	id: string | null;
	name: string | null;
	version: string | null;
}

export interface MediaUser {
	id: string | null;
	name: string | null;
}

export interface MediaPlayer {
	device: string | null;
	client: string | null;
	address: string | null;
	/** Whether the player is on the server's local network, where the server says so. */
	local: boolean | null;
}

export interface MediaSeries {
	id: string | null;
	title: string | null;
	/** Ids of the show itself, kept apart from the episode's own ids in `media.ids`. */
	ids: ProviderIds;
}

export interface MediaLibrary {
	id: string | null;
	name: string | null;
}

export interface MediaItem {
	type: MediaType;
	/** The item's id on the server that sent the event (Jellyfin/Emby item id, Plex ratingKey). */
	id: string | null;
	title: string | null;
	year: number | null;
	series: MediaSeries | null;
	seasonNumber: number | null;
	episodeNumber: number | null;
	/** Last episode of a multi-episode file (Jellyfin `EpisodeNumberEnd`), otherwise null. */
	episodeNumberEnd: number | null;
	/** Ids of this very item: for an episode, the episode's ids. */
	ids: ProviderIds;
	library: MediaLibrary | null;
	/** File path on the server, where the payload carries it. */
	path: string | null;
}

export interface MediaPlayback {
	positionMs: number | null;
	durationMs: number | null;
	/** positionMs / durationMs, 0..1, rounded to 4 places; null when either is unknown. */
	progress: number | null;
	paused: boolean | null;
	/** The server reported that playback reached the end (Jellyfin/Emby `PlayedToCompletion`). */
	completed: boolean | null;
}

export interface MediaEvent {
	source: MediaSource;
	event: MediaEventType;
	/** The server's own event name, e.g. `PlaybackStop`, `playback.stop`, `media.scrobble`, `tautulli.watched`. */
	rawEvent: string;
	/** Why the server sent it, where the server says so (Jellyfin `SaveReason` on UserDataSaved). */
	reason: string | null;
	receivedAt: string;
	occurredAt: string | null;
	server: MediaServerInfo;
	user: MediaUser | null;
	player: MediaPlayer | null;
	media: MediaItem | null;
	playback: MediaPlayback | null;
	/** The item's played state after this event, where the payload tells it. */
	played: boolean | null;
	/** A numeric rating the user gave, where the payload has one (Plex `media.rate`, Jellyfin `UpdateUserData`). */
	rating: number | null;
	/** Whether the item is the user's favourite after this event, where the payload tells it. */
	favorite: boolean | null;
	/**
	 * Jellyfin's thumbs-up after a user-data save: true liked, false not liked (Jellyfin sends false for a
	 * dislike and for no opinion alike); null from every other server.
	 */
	liked: boolean | null;
	/** The payload as received; present only when the trigger's "Include Raw Payload" option is on. */
	raw?: unknown;
}

/** Thrown by parsers for a body that is not a webhook of the expected server; the trigger answers 400 with it. */
export class PayloadError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'PayloadError';
	}
}

export interface ParseContext {
	receivedAt: Date;
	/** The request's User-Agent, for servers that only say their version there (Plex). */
	userAgent?: string;
}

/** Jellyfin and Emby count time in ticks of 100 ns. */
export function ticksToMs(ticks: number | null): number | null {
	return ticks === null ? null : Math.round(ticks / 10_000);
}

export function playbackProgress(
	positionMs: number | null,
	durationMs: number | null,
): number | null {
	if (positionMs === null || durationMs === null || durationMs <= 0) return null;
	const ratio = Math.min(1, Math.max(0, positionMs / durationMs));
	return Math.round(ratio * 10_000) / 10_000;
}

export function makePlayback(fields: Omit<MediaPlayback, 'progress'>): MediaPlayback {
	return { ...fields, progress: playbackProgress(fields.positionMs, fields.durationMs) };
}
