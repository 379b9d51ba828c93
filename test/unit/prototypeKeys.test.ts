import { MEDIA_EVENT_TYPES, MEDIA_TYPES, type MediaEvent } from '../../nodes/core/event';
import { parseEmby } from '../../nodes/core/parsers/emby';
import { parseJellyfin } from '../../nodes/core/parsers/jellyfin';
import { parsePlex } from '../../nodes/core/parsers/plex';
import { parseServarr } from '../../nodes/core/parsers/servarr';
import { parseTautulli } from '../../nodes/core/parsers/tautulli';
import { isObject, type JsonObject } from '../../nodes/core/values';
import { fixtureJson, fixtureText } from '../fixtures/load';
import { context, renderTautulli, TAUTULLI_EPISODE } from './fixtures';

/**
 * Event and item-type names from the wire are looked up in tables. A name that is also a key every object
 * inherits (`constructor`, `toString`, `__proto__`, …) once came back as a function or an object; each must read
 * as an unknown name: `event` "other", `media.type` "other".
 */
const INHERITED_NAMES = [
	'constructor',
	'toString',
	'__proto__',
	'hasOwnProperty',
	'valueOf',
	'isPrototypeOf',
	'__defineGetter__',
];

function expectDocumentedStrings(event: MediaEvent): void {
	expect(MEDIA_EVENT_TYPES).toContain(event.event);
	if (event.media !== null) expect(MEDIA_TYPES).toContain(event.media.type);
	expect(typeof event.rawEvent).toBe('string');
}

/** A real fixture with one value replaced (a nested key as `a.b`). */
function withValue(server: string, file: string, path: string, value: string): JsonObject {
	const body = fixtureJson(server, file);
	const keys = path.split('.');
	let target: unknown = body;
	for (const key of keys.slice(0, -1)) target = (target as JsonObject)[key];
	if (!isObject(target)) throw new Error(`${file} has no object at ${path}`);
	target[keys[keys.length - 1]] = value;
	return body;
}

describe.each(INHERITED_NAMES)('the inherited name %p from the wire', (name) => {
	test('as an Emby event is "other"', () => {
		const event = parseEmby(
			withValue('emby', 'playback-start-movie-4.7.14.json', 'Event', name),
			context(),
		);
		expect(event.event).toBe('other');
		expect(event.rawEvent).toBe(name);
		expectDocumentedStrings(event);
	});

	test('as an Emby item type is "other"', () => {
		const event = parseEmby(
			withValue('emby', 'playback-start-movie-4.7.14.json', 'Item.Type', name),
			context(),
		);
		expect(event.event).toBe('play');
		expect(event.media?.type).toBe('other');
		expectDocumentedStrings(event);
	});

	test('as a Plex event is "other"', () => {
		const event = parsePlex(
			withValue('plex', 'media-scrobble-movie.json', 'event', name),
			context(),
		);
		expect(event.event).toBe('other');
		expectDocumentedStrings(event);
	});

	test('as a Plex item type is "other"', () => {
		const event = parsePlex(
			withValue('plex', 'media-scrobble-movie.json', 'Metadata.type', name),
			context(),
		);
		expect(event.media?.type).toBe('other');
		expectDocumentedStrings(event);
	});

	test('as a Plex legacy agent gives no ids', () => {
		const event = parsePlex(
			withValue(
				'plex',
				'media-pause-episode-legacy-agent.json',
				'Metadata.guid',
				`com.plexapp.agents.${name}://73871/2/15?lang=en`,
			),
			context(),
		);
		expect(event.media?.ids).toEqual({});
		expect(Object.getPrototypeOf(event.media?.ids)).toBe(Object.prototype);
		expect(event.media?.series?.ids).toEqual({});
	});

	test('as a Jellyfin item type is "other"', () => {
		const event = parseJellyfin(
			withValue('jellyfin', 'playback-stop-movie-10.8.8.json', 'ItemType', name),
			context(),
		);
		expect(event.event).toBe('stop');
		expect(event.media?.type).toBe('other');
		expectDocumentedStrings(event);
	});

	test('as a Jellyfin event is "other"', () => {
		const event = parseJellyfin(
			withValue('jellyfin', 'playback-stop-movie-10.8.8.json', 'NotificationType', name),
			context(),
		);
		expect(event.event).toBe('other');
		expectDocumentedStrings(event);
	});

	test('as a Tautulli action is "other"', () => {
		const event = parseTautulli(
			renderTautulli(fixtureText('tautulli', 'watchstate-body-template.json'), {
				...TAUTULLI_EPISODE,
				action: name,
			}),
			context(),
		);
		expect(event.event).toBe('other');
		expectDocumentedStrings(event);
	});

	test('as a Sonarr event type is "other"', () => {
		const event = parseServarr(
			withValue('servarr', 'sonarr-download-v4.0-2024-02.json', 'eventType', name),
			context(),
		);
		expect(event.event).toBe('other');
	});
});
