import { jsonObjectFrom } from '../body';
import {
	PayloadError,
	type MediaEvent,
	type MediaEventType,
	type MediaItem,
	type MediaPlayer,
	type ParseContext,
} from '../event';
import {
	isObject,
	isoDate,
	isoFromUnixSeconds,
	num,
	objectAt,
	ownEntry,
	providerIds,
	text,
	type JsonObject,
} from '../values';
import { dateYear, plexMediaItem, plexPlayback, plexPlayed, plexPlayer, plexUser } from './plex';

/**
 * Tautulli's Webhook notification agent with the Plex-shaped JSON template that WatchState publishes
 * (fixture tautulli/watchstate-body-template.json): `"event": "tautulli.{action}"`, `Account`, `Server`,
 * `Player` and `Metadata`, where Tautulli fills every placeholder in as a string ("" when it has no value).
 * The readers of values.ts cast those strings, so the Plex readers serve here too. Placeholder meanings:
 * shared/research/payloads.md §5 and Tautulli `plexpy/notification_handler.py`
 * (`build_media_notify_params`).
 */

const ACTIONS: Record<string, MediaEventType> = {
	play: 'play',
	pause: 'pause',
	resume: 'resume',
	stop: 'stop',
	watched: 'watched',
	// Recently Added.
	created: 'added',
	test: 'test',
};

const PLAYBACK_ACTIONS = new Set(['play', 'pause', 'resume', 'stop', 'watched']);

/**
 * With Tautulli's default grouping, a Recently Added show or season (artist or album) fills the placeholders
 * one level up: `{episode_name}` is empty, `{show_name}` is the show, `{season_name}` the season and
 * `{season_num}` its number. Move them back to the keys where Plex has them.
 */
function ungrouped(metadata: JsonObject): JsonObject {
	if (text(metadata.title) !== null) return metadata;
	switch (text(metadata.type)) {
		case 'show':
		case 'artist':
			return { ...metadata, title: metadata.grandparentTitle };
		case 'season':
		case 'album':
			return {
				...metadata,
				title: metadata.parentTitle,
				parentTitle: metadata.grandparentTitle,
				index: metadata.parentIndex,
			};
		default:
			return metadata;
	}
}

function mediaItem(metadata: JsonObject | null): MediaItem | null {
	const item = plexMediaItem(metadata && ungrouped(metadata));
	if (metadata === null || item === null) return null;
	// `{imdb_id}`, `{thetvdb_id}`, … are the show's ids for an episode or a season (Tautulli reads them from
	// the grandparent/parent guids), and the item's own ids otherwise.
	const guids = providerIds(Object.entries(objectAt(metadata.Guids) ?? {}));
	return {
		...item,
		// `{show_year}` is the show's year for episodes and empty for movies; `{air_date}` is the item's own
		// date (Tautulli's date format, `YYYY-MM-DD` unless changed).
		year: dateYear(metadata.originallyAvailableAt) ?? item.year,
		ids: item.series ? item.ids : { ...item.ids, ...guids },
		series: item.series && { ...item.series, ids: { ...item.series.ids, ...guids } },
		path: text(metadata.file),
	};
}

/** Tautulli fills `{ip_address}` with "N/A" when there is no stream (Recently Added). */
function player(value: JsonObject | null): MediaPlayer | null {
	return plexPlayer(
		text(value?.publicAddress) === 'N/A' ? { ...value, publicAddress: null } : value,
	);
}

/**
 * The template has no event time unless the user adds one: `"utctime": "{utctime}"` or
 * `"timestamp": "{unixtime}"`. Either key may hold either form. Tautulli's `{utctime}` is
 * Python's `utcnow().isoformat()`, without a zone, so a zone-less time is read as UTC.
 */
function eventTime(value: unknown): string | null {
	if (num(value) !== null) return isoFromUnixSeconds(value);
	const raw = text(value);
	if (raw === null) return null;
	return isoDate(/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(raw) ? `${raw}Z` : raw);
}

/**
 * Tautulli's Test Notifications tab sends the template as typed, placeholders unfilled: a value that is still
 * `{placeholder}` means "no value". Only as deep as the parser reads (`Metadata.Guid[].id`, four levels): a body
 * can nest deeper than the call stack.
 */
function withoutPlaceholders(value: unknown, levels = 4): unknown {
	if (typeof value === 'string') return /^\{\w+\}$/.test(value) ? '' : value;
	if (levels === 0) return value;
	if (Array.isArray(value)) return value.map((entry) => withoutPlaceholders(entry, levels - 1));
	if (isObject(value)) {
		return Object.fromEntries(
			Object.entries(value).map(([key, entry]) => [key, withoutPlaceholders(entry, levels - 1)]),
		);
	}
	return value;
}

/**
 * Tautulli sends a 0-byte body when the agent's JSON Data box is empty (its default, also for the Test button) or
 * holds invalid JSON, and form-encodes the data when JSON Headers sets a Content-Type other than exactly
 * `application/json` (research: fixtures/tautulli/real-v2.17.2/SOURCES.md). Both get an answer that says what to
 * change in Tautulli.
 */
export const TAUTULLI_EMPTY_BODY =
	'Tautulli sent an empty body. It does that when the Webhook agent\'s JSON Data box is empty (its default, also for the Test button) or is not valid JSON, e.g. a placeholder outside quotes ("id": {user_id}). Paste the JSON Data template from the README of n8n-nodes-media-server (Setup → Tautulli) into the Data tab of each trigger you ticked.';
export const TAUTULLI_FORM_BODY =
	'Tautulli sent the data form-encoded instead of as JSON. It does that when JSON Headers sets a Content-Type other than exactly application/json: delete the Content-Type line from JSON Headers.';

/** Tautulli's template nests these objects; form encoding flattens each to a list of its key names. */
const TEMPLATE_OBJECTS = ['Account', 'Server', 'Player', 'Metadata'];

/** The JSON object Tautulli sent, from the request body as n8n left it. */
export function tautulliPayload(body: unknown): JsonObject {
	const value = Buffer.isBuffer(body) ? body.toString('utf8') : body;
	if (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(isObject(value) && Object.keys(value).length === 0)
	) {
		throw new PayloadError(TAUTULLI_EMPTY_BODY);
	}
	if (typeof value === 'string' && /^[\w.%+-]+=/.test(value.trim())) {
		throw new PayloadError(TAUTULLI_FORM_BODY);
	}
	const payload = jsonObjectFrom(value);
	const flattened = TEMPLATE_OBJECTS.some(
		(key) => typeof payload[key] === 'string' || Array.isArray(payload[key]),
	);
	if (flattened) throw new PayloadError(TAUTULLI_FORM_BODY);
	return payload;
}

export function parseTautulli(payload: JsonObject, context: ParseContext): MediaEvent {
	const body = withoutPlaceholders(payload) as JsonObject;
	const rawEvent = text(payload.event);
	if (rawEvent === null) {
		throw new PayloadError(
			'Not a Tautulli webhook: "event" is missing. Use a JSON data template with "event": "tautulli.{action}"',
		);
	}
	const action = rawEvent.replace(/^tautulli\./, '');
	// The unfilled template (see withoutPlaceholders) only comes from the Test Notifications tab.
	const event = action === '{action}' ? 'test' : (ownEntry(ACTIONS, action) ?? 'other');
	const server = objectAt(body.Server);
	const metadata = objectAt(body.Metadata);

	return {
		source: 'tautulli',
		event,
		rawEvent,
		reason: null,
		receivedAt: context.receivedAt.toISOString(),
		occurredAt: eventTime(body.utctime) ?? eventTime(body.timestamp),
		server: { id: text(server?.uuid), name: text(server?.title), version: text(server?.version) },
		user: plexUser(objectAt(body.Account)),
		player: player(objectAt(body.Player)),
		media: mediaItem(metadata),
		playback: PLAYBACK_ACTIONS.has(action) ? plexPlayback(metadata, event === 'pause') : null,
		played: plexPlayed(event === 'watched', metadata),
		rating: null,
		favorite: null,
		liked: null,
	};
}
