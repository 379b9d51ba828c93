import {
	DOTNET_ITEM_TYPES,
	makePlayback,
	PayloadError,
	ticksToMs,
	type MediaEvent,
	type MediaEventType,
	type MediaItem,
	type MediaPlayback,
	type ParseContext,
	type ProviderIds,
} from '../event';
import {
	bool,
	int,
	isoDate,
	num,
	objectAt,
	ownEntry,
	providerIds,
	text,
	type JsonObject,
} from '../values';

/**
 * Emby's built-in webhooks (Emby Premiere): `Event` plus `User`, `Item` (a BaseItemDto), `Server`, and on
 * playback events `Session` and `PlaybackInfo`. Field list: shared/research/payloads.md §3.
 */

const EVENTS: Record<string, MediaEventType> = {
	'playback.start': 'play',
	'playback.pause': 'pause',
	'playback.unpause': 'resume',
	'playback.stop': 'stop',
	// No longer sent since 2022, still accepted by WatchState.
	'playback.scrobble': 'watched',
	'item.markplayed': 'watched',
	'item.markunplayed': 'unwatched',
	'item.rate': 'rated',
	'library.new': 'added',
	// The test button: `system.webhooktest` in 4.7, `system.notificationtest` from 4.8.
	'system.webhooktest': 'test',
	'system.notificationtest': 'test',
};

/** Social and wiki handles that Emby keeps among the provider ids; they identify a page, not the item. */
const HANDLE_KEYS = new Set(['facebook', 'instagram', 'reddit', 'twitter', 'wikipedia']);

/** Rule: an id has a key without spaces that is not a handle (above), and a value that is not a URL. */
function embyProviderIds(value: unknown): ProviderIds {
	return providerIds(
		Object.entries(objectAt(value) ?? {}).filter(
			([key, id]) =>
				!/\s/.test(key) &&
				!HANDLE_KEYS.has(key.toLowerCase()) &&
				!/^https?:\/\//i.test(text(id) ?? ''),
		),
	);
}

function mediaItem(item: JsonObject | null): MediaItem | null {
	if (item === null) return null;
	const itemType = text(item.Type);
	const type = (itemType && ownEntry(DOTNET_ITEM_TYPES, itemType)) || 'other';
	const inSeries = type === 'episode' || type === 'season';
	return {
		type,
		id: text(item.Id),
		title: text(item.Name),
		year: int(item.ProductionYear),
		series: inSeries ? { id: text(item.SeriesId), title: text(item.SeriesName), ids: {} } : null,
		seasonNumber: int(item.ParentIndexNumber),
		episodeNumber: int(item.IndexNumber),
		episodeNumberEnd: null,
		ids: embyProviderIds(item.ProviderIds),
		library: null,
		path: text(item.Path),
	};
}

/** Position rides on every playback event; whether it is paused is only told by the event name. */
function playback(body: JsonObject, rawEvent: string, event: MediaEventType): MediaPlayback | null {
	const info = objectAt(body.PlaybackInfo);
	if (info === null) return null;
	const paused =
		event === 'pause' ? true : ['play', 'resume', 'stop'].includes(event) ? false : null;
	return makePlayback({
		positionMs: ticksToMs(num(info.PositionTicks)),
		durationMs: ticksToMs(num(objectAt(body.Item)?.RunTimeTicks)),
		paused,
		// `PlayedToCompletion` is only sent on playback.stop.
		completed: rawEvent === 'playback.stop' ? bool(info.PlayedToCompletion) : null,
	});
}

export function parseEmby(body: JsonObject, context: ParseContext): MediaEvent {
	const rawEvent = text(body.Event);
	if (rawEvent === null) {
		throw new PayloadError(
			'Not an Emby webhook: "Event" is missing. Emby sends a JSON body ("application/json") or the JSON in a form field named "data"',
		);
	}
	const event = ownEntry(EVENTS, rawEvent) ?? 'other';
	const user = objectAt(body.User);
	const userId = text(user?.Id);
	const userName = text(user?.Name);
	const session = objectAt(body.Session);
	const server = objectAt(body.Server);
	const playbackInfo = playback(body, rawEvent, event);

	// Mark events carry no played flag: the event name is the state. A completed stop means watched too.
	let played: boolean | null = null;
	if (event === 'watched') played = true;
	else if (event === 'unwatched') played = false;
	else if (playbackInfo?.completed) played = true;

	return {
		source: 'emby',
		event,
		rawEvent,
		reason: null,
		receivedAt: context.receivedAt.toISOString(),
		occurredAt: isoDate(body.Date),
		server: { id: text(server?.Id), name: text(server?.Name), version: text(server?.Version) },
		user: userId !== null || userName !== null ? { id: userId, name: userName } : null,
		player:
			session === null
				? null
				: {
						device: text(session.DeviceName),
						client: text(session.Client),
						address: text(session.RemoteEndPoint),
						local: null,
					},
		media: mediaItem(objectAt(body.Item)),
		playback: playbackInfo,
		played,
		// item.rate says that the rating or favourite changed, not to what; newer servers (4.8.11 seen) add the
		// item's user data, favourite included.
		rating: null,
		favorite: bool(objectAt(objectAt(body.Item)?.UserData)?.IsFavorite),
		liked: null,
	};
}
