import {
	makePlayback,
	PayloadError,
	type MediaEvent,
	type MediaEventType,
	type MediaItem,
	type MediaPlayback,
	type MediaPlayer,
	type MediaType,
	type MediaUser,
	type ParseContext,
	type ProviderIds,
} from '../event';
import { bool, int, num, objectAt, ownEntry, providerIds, text, type JsonObject } from '../values';

/**
 * Plex Media Server webhooks (Plex Pass): the JSON of the multipart `payload` field, with `Account`,
 * `Server`, `Player` and `Metadata`. Field list: shared/research/payloads.md §4. The metadata, account and
 * player readers are shared with the Tautulli parser, whose usual template copies this shape.
 */

const EVENTS: Record<string, MediaEventType> = {
	'media.play': 'play',
	'media.pause': 'pause',
	'media.resume': 'resume',
	'media.stop': 'stop',
	'media.scrobble': 'watched',
	'media.rate': 'rated',
	'library.new': 'added',
	// `playback.started` (owner only: a shared user started playback) stays `other`: the owner's webhook also
	// gets that user's media.play, so mapping both to `play` would report one start twice.
};

const PLAYBACK_EVENTS = new Set([
	'media.play',
	'media.pause',
	'media.resume',
	'media.stop',
	'media.scrobble',
	'playback.started',
]);

const ITEM_TYPES: Record<string, MediaType> = {
	movie: 'movie',
	episode: 'episode',
	season: 'season',
	show: 'series',
	track: 'track',
	album: 'album',
};

/** Agents of legacy `com.plexapp.agents.<agent>://` guids; others (none, plexmusic, …) hold no id. */
const LEGACY_AGENTS: Record<string, string> = {
	imdb: 'imdb',
	themoviedb: 'tmdb',
	thetvdb: 'tvdb',
	thetvdbdvdorder: 'tvdb',
};

interface LegacyGuid {
	ids: ProviderIds;
	/** A TV guid (`<show>/<season>/<episode>`) names the show, not the item. */
	showIds: ProviderIds;
	season: number | null;
	episode: number | null;
}

/** `com.plexapp.agents.imdb://tt0072684?lang=en`; TV: `com.plexapp.agents.thetvdb://73871/2/15?lang=en`. */
function legacyGuid(value: unknown): LegacyGuid | null {
	const match = /^com\.plexapp\.agents\.(\w+):\/\/([^?]+)/.exec(text(value) ?? '');
	const key = match ? ownEntry(LEGACY_AGENTS, match[1]) : undefined;
	if (!match || key === undefined) return null;
	const [id, season, episode] = match[2].split('/');
	const ids = { [key]: id };
	return season === undefined
		? { ids, showIds: {}, season: null, episode: null }
		: { ids: {}, showIds: ids, season: int(season), episode: int(episode) };
}

/** New agents list the item's own ids in `Guid`: [{ id: "imdb://tt0090728" }, { id: "tmdb://6978" }]. */
function guidArrayIds(value: unknown): ProviderIds {
	const entries: Array<[string, string]> = [];
	for (const entry of Array.isArray(value) ? value : []) {
		const match = /^(\w+):\/\/(.+)$/.exec(text(objectAt(entry)?.id) ?? '');
		if (match) entries.push([match[1], match[2]]);
	}
	return providerIds(entries);
}

/** The year of a `YYYY-MM-DD` date; anything else (Tautulli's other date formats) gives null. */
export function dateYear(value: unknown): number | null {
	return int(/^(\d{4})-\d{2}-\d{2}/.exec(text(value) ?? '')?.[1]);
}

export function plexMediaItem(metadata: JsonObject | null): MediaItem | null {
	const plexType = text(metadata?.type);
	const id = text(metadata?.ratingKey);
	// Tautulli fills every placeholder even for events without an item, so an all-empty Metadata is no item.
	if (metadata === null || (plexType === null && id === null)) return null;
	const type = (plexType && ownEntry(ITEM_TYPES, plexType)) || 'other';
	const isEpisode = type === 'episode';
	const isSeason = type === 'season';
	const legacy = legacyGuid(metadata.guid);
	// The show is the grandparent of an episode and the parent of a season.
	const showGuid = isEpisode ? metadata.grandparentGuid : metadata.parentGuid;
	const showIds = { ...legacyGuid(showGuid)?.ids, ...legacy?.showIds };
	const libraryId = text(metadata.librarySectionID);
	const libraryName = text(metadata.librarySectionTitle);
	return {
		type,
		id,
		title: text(metadata.title),
		year: int(metadata.year) ?? dateYear(metadata.originallyAvailableAt),
		series: isEpisode
			? {
					id: text(metadata.grandparentRatingKey),
					title: text(metadata.grandparentTitle),
					ids: showIds,
				}
			: isSeason
				? { id: text(metadata.parentRatingKey), title: text(metadata.parentTitle), ids: showIds }
				: null,
		// A season's own number is its `index`; on tracks the indexes are disc and track numbers.
		seasonNumber: isEpisode
			? (int(metadata.parentIndex) ?? legacy?.season ?? null)
			: isSeason
				? (int(metadata.index) ?? legacy?.season ?? null)
				: null,
		episodeNumber: isEpisode ? (int(metadata.index) ?? legacy?.episode ?? null) : null,
		episodeNumberEnd: null,
		ids: { ...legacy?.ids, ...guidArrayIds(metadata.Guid) },
		library:
			libraryId !== null || libraryName !== null ? { id: libraryId, name: libraryName } : null,
		path: null,
	};
}

export function plexUser(account: JsonObject | null): MediaUser | null {
	const id = text(account?.id);
	const name = text(account?.title);
	return id !== null || name !== null ? { id, name } : null;
}

/** Plex names the player (`title`) but not the client app, so `client` stays null. */
export function plexPlayer(player: JsonObject | null): MediaPlayer | null {
	const device = text(player?.title);
	const address = text(player?.publicAddress);
	const local = bool(player?.local);
	return device !== null || address !== null || local !== null
		? { device, client: null, address, local }
		: null;
}

/** Plex reports position and duration in ms; whether playback is paused is only told by the event name. */
export function plexPlayback(metadata: JsonObject | null, paused: boolean): MediaPlayback {
	return makePlayback({
		positionMs: num(metadata?.viewOffset),
		durationMs: num(metadata?.duration),
		paused,
		completed: null,
	});
}

/** Watched when the event says so; otherwise a view count above zero means the item was played before. */
export function plexPlayed(watched: boolean, metadata: JsonObject | null): boolean | null {
	return watched || (num(metadata?.viewCount) ?? 0) > 0 ? true : null;
}

export function parsePlex(body: JsonObject, context: ParseContext): MediaEvent {
	const rawEvent = text(body.event);
	if (rawEvent === null) {
		throw new PayloadError(
			'Not a Plex webhook: "event" is missing. Plex sends the JSON in the multipart form field "payload"',
		);
	}
	const event = ownEntry(EVENTS, rawEvent) ?? 'other';
	const server = objectAt(body.Server);
	const metadata = objectAt(body.Metadata);
	// Plex puts its version only in the User-Agent: `PlexMediaServer/1.40.1.8227-c0dd5a73e`.
	const version = /PlexMediaServer\/(\S+)/.exec(context.userAgent ?? '')?.[1] ?? null;

	return {
		source: 'plex',
		event,
		rawEvent,
		reason: null,
		receivedAt: context.receivedAt.toISOString(),
		// Plex sends no event time; `lastViewedAt`/`updatedAt` describe the item, not this event.
		occurredAt: null,
		server: { id: text(server?.uuid), name: text(server?.title), version },
		user: plexUser(objectAt(body.Account)),
		player: plexPlayer(objectAt(body.Player)),
		media: plexMediaItem(metadata),
		playback: PLAYBACK_EVENTS.has(rawEvent) ? plexPlayback(metadata, event === 'pause') : null,
		played: plexPlayed(event === 'watched', metadata),
		rating: event === 'rated' ? num(body.rating) : null,
		favorite: null,
		liked: null,
	};
}
