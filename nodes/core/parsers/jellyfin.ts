import {
	DOTNET_ITEM_TYPES,
	makePlayback,
	PayloadError,
	ticksToMs,
	type MediaEvent,
	type MediaEventType,
	type MediaItem,
	type ParseContext,
} from '../event';
import { bool, int, isoDate, num, ownEntry, providerIds, text, type JsonObject } from '../values';

/**
 * Jellyfin webhook plugin, Generic (or Generic Form) destination with "Send All Properties": one flat object
 * keyed by NotificationType. Field list: shared/research/payloads.md §2.
 */

const PLAYBACK_EVENTS = new Set(['PlaybackStart', 'PlaybackProgress', 'PlaybackStop']);

/** The plugin pre-escapes `"` in some text fields for its templates; undo it where it survives decoding. */
function displayText(value: unknown): string | null {
	const raw = text(value);
	return raw === null ? null : raw.replace(/\\"/g, '"');
}

function eventType(body: JsonObject, rawEvent: string): MediaEventType {
	switch (rawEvent) {
		case 'PlaybackStart':
			return 'play';
		case 'PlaybackProgress':
			return 'progress';
		case 'PlaybackStop':
			return 'stop';
		case 'ItemAdded':
			return 'added';
		case 'UserDataSaved':
			return userDataEvent(body);
		default:
			return 'other';
	}
}

/**
 * UserDataSaved fires for every user-data write; only some of them are a watched state change. UpdateUserRating
 * is the favourite or like/dislike toggle (it never writes `Rating`): `rated`, with `favorite` and `liked`.
 */
function userDataEvent(body: JsonObject): MediaEventType {
	const played = bool(body.Played);
	switch (text(body.SaveReason)) {
		case 'TogglePlayed':
			return played === null ? 'other' : played ? 'watched' : 'unwatched';
		case 'PlaybackFinished':
			return played ? 'watched' : 'other';
		case 'UpdateUserRating':
			return 'rated';
		default:
			return 'other';
	}
}

function mediaItem(body: JsonObject): MediaItem | null {
	const itemType = text(body.ItemType);
	const id = text(body.ItemId);
	if (itemType === null && id === null) return null;
	const type = (itemType && ownEntry(DOTNET_ITEM_TYPES, itemType)) || 'other';
	const inSeries = type === 'episode' || type === 'season';
	// For episodes and seasons `Year` is the series' year; the item's own premiere date is the better source.
	const premiereYear = inSeries ? int(text(body.PremiereDate)?.slice(0, 4)) : null;
	const ids = providerIds(
		Object.entries(body)
			.filter(([key]) => key.startsWith('Provider_'))
			.map(([key, value]) => [key.slice('Provider_'.length), value]),
	);
	return {
		type,
		id,
		title: displayText(body.Name),
		year: premiereYear ?? int(body.Year),
		series: inSeries
			? { id: text(body.SeriesId), title: displayText(body.SeriesName), ids: {} }
			: null,
		seasonNumber: int(body.SeasonNumber),
		episodeNumber: int(body.EpisodeNumber),
		episodeNumberEnd: int(body.EpisodeNumberEnd),
		ids,
		library: null,
		path: null,
	};
}

export function parseJellyfin(body: JsonObject, context: ParseContext): MediaEvent {
	const rawEvent = text(body.NotificationType);
	if (rawEvent === null) {
		throw new PayloadError(
			'Not a Jellyfin webhook: "NotificationType" is missing. In the webhook plugin, use the Generic destination with "Send All Properties" on',
		);
	}
	const event = eventType(body, rawEvent);
	const userId = text(body.UserId);
	const userName = displayText(body.NotificationUsername);
	const device = displayText(body.DeviceName);
	const client = displayText(body.ClientName) ?? displayText(body.Client);
	const address = text(body.RemoteEndPoint);
	const isPlayback = PLAYBACK_EVENTS.has(rawEvent);
	const isUserData = rawEvent === 'UserDataSaved';
	const completed = rawEvent === 'PlaybackStop' ? bool(body.PlayedToCompletion) : null;
	const reason = isUserData ? text(body.SaveReason) : null;

	let played: boolean | null = null;
	if (isUserData) played = bool(body.Played);
	else if (completed) played = true;

	return {
		source: 'jellyfin',
		event,
		rawEvent,
		reason,
		receivedAt: context.receivedAt.toISOString(),
		occurredAt: isoDate(body.UtcTimestamp) ?? isoDate(body.Timestamp),
		server: {
			id: text(body.ServerId),
			name: displayText(body.ServerName),
			version: text(body.ServerVersion),
		},
		user: userId !== null || userName !== null ? { id: userId, name: userName } : null,
		player:
			device !== null || client !== null || address !== null
				? { device, client, address, local: null }
				: null,
		media: mediaItem(body),
		playback:
			isPlayback || isUserData
				? makePlayback({
						positionMs: ticksToMs(num(body.PlaybackPositionTicks)),
						durationMs: ticksToMs(num(body.RunTimeTicks)),
						paused: isPlayback ? bool(body.IsPaused) : null,
						completed,
					})
				: null,
		played,
		// Jellyfin writes `Rating` 0 when there is none, and only an API user-data update sets it.
		rating: reason === 'UpdateUserData' ? num(body.Rating) || null : null,
		favorite: isUserData ? bool(body.Favorite) : null,
		liked: isUserData ? bool(body.Likes) : null,
	};
}

/** Identifies one playback session, so pause and resume can be told from progress heartbeats. */
export function jellyfinSessionKey(body: JsonObject): string {
	const sessionId = text(body.Id);
	if (sessionId !== null) return `${sessionId}:${text(body.ItemId) ?? ''}`;
	return [body.DeviceId, body.UserId, body.ItemId].map((part) => text(part) ?? '').join(':');
}
