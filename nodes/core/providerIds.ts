/**
 * Provider ids (imdb, tmdb, tvdb, …) as every server spells them: Jellyfin `Tmdb`, Emby `IMDB`, Plex `tmdb://603`
 * or the legacy agents' `com.plexapp.agents.themoviedb://603?lang=en`. One spelling for matching. Pure code.
 */
import type { ProviderIds } from './event';

/** The ids that identify a movie, show or episode across servers (AniDB for anime libraries). */
export const MATCHING_PROVIDERS = ['imdb', 'tmdb', 'tvdb', 'tvmaze', 'anidb'] as const;

const PROVIDER_ALIASES = new Map([
	['themoviedb', 'tmdb'],
	['thetvdb', 'tvdb'],
	['thetvdbv2', 'tvdb'],
	['tvmaze', 'tvmaze'],
]);

/** A provider name in lower case, with the agents' long names shortened: `TheMovieDb` → `tmdb`. */
export function providerName(name: string): string {
	const lower = name.trim().toLowerCase();
	return PROVIDER_ALIASES.get(lower) ?? lower;
}

/** An id as compared: trimmed; IMDb ids in lower case (`TT0133093` and `tt0133093` are one title). */
function idValue(provider: string, value: unknown): string | null {
	if (typeof value !== 'string' && typeof value !== 'number') return null;
	const id = String(value).trim();
	if (id === '' || id === '0') return null;
	return provider === 'imdb' ? id.toLowerCase() : id;
}

/**
 * Provider ids from any server's map, with one spelling for names and values; empty names and values dropped. A map
 * that is not an object (a string where an object belongs) holds no ids: its characters are not providers.
 */
export function normalizeIds(ids: Record<string, unknown> | null | undefined): ProviderIds {
	const normalized: ProviderIds = {};
	if (typeof ids !== 'object' || ids === null || Array.isArray(ids)) return normalized;
	for (const [name, value] of Object.entries(ids)) {
		const provider = providerName(name);
		const id = idValue(provider, value);
		if (provider !== '' && id !== null && !(provider in normalized)) normalized[provider] = id;
	}
	return normalized;
}

/** `provider:id` keys of the matching providers, for index lookups. */
export function matchingKeys(ids: ProviderIds): string[] {
	return MATCHING_PROVIDERS.filter((provider) => ids[provider] !== undefined).map(
		(provider) => `${provider}:${ids[provider]}`,
	);
}

export interface PlexGuid {
	provider: string;
	id: string;
	/** Legacy TV agents put the show's id, season and episode into an episode's guid. */
	seasonNumber: number | null;
	episodeNumber: number | null;
}

/**
 * One Plex guid: `imdb://tt0133093`, `tmdb://603`, `tvdb://81189`, `plex://movie/5d776…`, or a legacy agent's
 * `com.plexapp.agents.imdb://tt0103639?lang=en`, `com.plexapp.agents.thetvdb://81189/1/2?lang=en` (show 81189,
 * season 1, episode 2) or `com.plexapp.agents.hama://anidb-1234`. Null for local and agent-less items.
 */
export function parsePlexGuid(guid: string): PlexGuid | null {
	const match = /^(?:com\.plexapp\.agents\.)?([a-z0-9]+):\/\/([^?#]+)/i.exec(guid.trim());
	if (!match) return null;
	let provider = providerName(match[1]);
	let rest = match[2];
	if (provider === 'local' || provider === 'none') return null;
	if (provider === 'hama') {
		const inner = /^([a-z]+)-(.+)$/i.exec(rest);
		if (!inner) return null;
		provider = providerName(inner[1]);
		rest = inner[2];
	}
	const [id, season, episode] = rest.split('/');
	const value = idValue(provider, decodeURIComponent(id));
	if (value === null) return null;
	const number = (text: string | undefined) =>
		text !== undefined && /^\d+$/.test(text) ? Number(text) : null;
	return {
		provider,
		id: provider === 'plex' ? rest : value,
		seasonNumber: provider === 'plex' ? null : number(season),
		episodeNumber: provider === 'plex' ? null : number(episode),
	};
}
