/**
 * Readers for loosely typed payload values. Webhook bodies arrive as JSON with real numbers (Jellyfin JSON,
 * Emby, Plex), or with every value a string (Jellyfin's Generic Form destination, every Tautulli placeholder),
 * so each reader accepts both and turns "nothing there" (missing, null, "") into null.
 */

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A table's entry for a key that came from outside. Own entries only: a key such as `constructor`, `toString` or
 * `__proto__` must find nothing rather than what every object inherits.
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export function objectAt(value: unknown): JsonObject | null {
	return isObject(value) ? value : null;
}

export function text(value: unknown): string | null {
	if (typeof value === 'string') {
		const trimmed = value.trim();
		return trimmed === '' ? null : trimmed;
	}
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

export function num(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string' && value.trim() !== '') {
		const parsed = Number(value.trim());
		return Number.isFinite(parsed) ? parsed : null;
	}
	return null;
}

export function int(value: unknown): number | null {
	const parsed = num(value);
	return parsed === null ? null : Math.trunc(parsed);
}

/** true/false, "true"/"false" (any case, as .NET writes "True"), "1"/"0" and 1/0. */
export function bool(value: unknown): boolean | null {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : null;
	if (typeof value === 'string') {
		const normalized = value.trim().toLowerCase();
		if (normalized === 'true' || normalized === '1') return true;
		if (normalized === 'false' || normalized === '0') return false;
	}
	return null;
}

/** An ISO timestamp (normalized to UTC with milliseconds), or null when the value is not a date. */
export function isoDate(value: unknown): string | null {
	const raw = text(value);
	if (raw === null) return null;
	return isoOf(new Date(raw));
}

/** Unix seconds (number or numeric string) as an ISO timestamp; null beyond the dates JavaScript can hold. */
export function isoFromUnixSeconds(value: unknown): string | null {
	const seconds = num(value);
	return seconds === null || seconds <= 0 ? null : isoOf(new Date(seconds * 1000));
}

/** Null for an invalid date, on which toISOString throws. */
function isoOf(date: Date): string | null {
	return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Keeps the entries with a provider name and a non-empty id, with lower-case keys. */
export function providerIds(entries: Iterable<[string, unknown]>): Record<string, string> {
	const ids: Record<string, string> = {};
	for (const [key, value] of entries) {
		const provider = key.trim().toLowerCase();
		const id = text(value);
		if (provider !== '' && id !== null) ids[provider] = id;
	}
	return ids;
}
