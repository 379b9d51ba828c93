import type { MediaEvent, MediaEventType, MediaType } from './event';
import type { ServarrEvent, ServarrEventType } from './servarrEvent';

/** What a trigger lets through; empty lists mean "any". */
export interface EventFilter {
	events: MediaEventType[];
	serverIds: string[];
	/** User ids or names, compared without regard to case. */
	users: string[];
	/** Drop events that name no user (Jellyfin ItemAdded, Emby library.new, tests); by default they pass. */
	dropEventsWithoutUser: boolean;
	mediaTypes: MediaType[];
}

/** Server ids compare without case and dashes: Jellyfin writes GUIDs as 32 hex digits, APIs often with dashes. */
function sameServerId(a: string, b: string): boolean {
	const normalize = (id: string) => id.replace(/-/g, '').toLowerCase();
	return normalize(a) === normalize(b);
}

/** Splits a comma-separated list from a node parameter into trimmed, non-empty entries. */
export function listParameter(value: string | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/** Returns why the event is filtered out, or null when it passes. */
export function whyIgnored(event: MediaEvent, filter: EventFilter): string | null {
	if (filter.events.length > 0 && !filter.events.includes(event.event)) {
		return `event "${event.event}" (${event.rawEvent}) is not selected in Events`;
	}
	if (filter.serverIds.length > 0) {
		const serverId = event.server.id;
		if (serverId === null) return 'the event carries no server id and Match Server IDs is set';
		if (!filter.serverIds.some((id) => sameServerId(id, serverId))) {
			return `server "${serverId}" is not in Match Server IDs`;
		}
	}
	if (event.user === null) {
		if (filter.dropEventsWithoutUser)
			return 'the event names no user and Drop Events Without User is on';
	} else if (filter.users.length > 0) {
		const wanted = filter.users.map((user) => user.toLowerCase());
		const candidates = [event.user.id, event.user.name]
			.filter((value): value is string => value !== null)
			.map((value) => value.toLowerCase());
		if (!candidates.some((value) => wanted.includes(value))) {
			return `user "${event.user.name ?? event.user.id}" is not in Match Users`;
		}
	}
	if (
		filter.mediaTypes.length > 0 &&
		event.media !== null &&
		!filter.mediaTypes.includes(event.media.type)
	) {
		return `media type "${event.media.type}" is not selected in Media Types`;
	}
	return null;
}

/** What the Sonarr/Radarr Trigger lets through; empty lists mean "any". */
export interface ServarrFilter {
	events: ServarrEventType[];
	/** Instance names (Settings → General), compared without regard to case. */
	instanceNames: string[];
}

/** Returns why a Sonarr/Radarr event is filtered out, or null when it passes. */
export function whyServarrIgnored(event: ServarrEvent, filter: ServarrFilter): string | null {
	if (filter.events.length > 0 && !filter.events.includes(event.event)) {
		return `event "${event.event}" (${event.rawEvent}) is not selected in Events`;
	}
	if (filter.instanceNames.length > 0) {
		const name = event.instanceName?.toLowerCase() ?? null;
		if (name === null || !filter.instanceNames.some((wanted) => wanted.toLowerCase() === name)) {
			return `instance "${event.instanceName ?? ''}" is not in Match Instance Names`;
		}
	}
	return null;
}
