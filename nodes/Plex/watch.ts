import type { IExecuteFunctions } from 'n8n-workflow';
import type { ProviderIds } from '../core/event';
import type { IndexedItem } from '../core/itemIndex';
import { parsePlexGuid } from '../core/providerIds';
import { int, isoFromUnixSeconds, text } from '../core/values';
import { listSections, plexRequest, type PlexSection } from './transport';

/** The Metadata fields read here (`/library/sections/{id}/all`, `/library/metadata/{ids}`). */
interface PlexMetadata {
	ratingKey?: string | number;
	type?: string;
	title?: string;
	year?: number;
	guid?: string;
	Guid?: Array<{ id?: string }>;
	viewCount?: number;
	lastViewedAt?: number;
	grandparentRatingKey?: string | number;
	parentIndex?: number;
	index?: number;
	librarySectionID?: string | number;
	librarySectionTitle?: string;
	Media?: Array<{ Part?: Array<{ file?: string }> }>;
}

interface MetadataPage {
	MediaContainer?: { totalSize?: number; size?: number; Metadata?: PlexMetadata[] };
}

const TYPES = new Map<string, IndexedItem['type']>([
	['movie', 'movie'],
	['show', 'series'],
	['episode', 'episode'],
]);
/** Plex's type numbers in library queries. */
const MOVIE = 1;
const SHOW = 2;
const EPISODE = 4;
const PAGE_SIZE = 1000;

/**
 * Ids from `Guid[]` (new agents) or the legacy `guid`. A legacy TV episode's guid names its show, season and
 * episode, not the episode: it is found through its show.
 */
function idsOf(metadata: PlexMetadata, type: IndexedItem['type']): ProviderIds {
	const ids: ProviderIds = {};
	const guids = [...(metadata.Guid ?? []).map((guid) => guid.id), metadata.guid];
	for (const guid of guids) {
		const parsed = typeof guid === 'string' ? parsePlexGuid(guid) : null;
		if (!parsed || parsed.provider === 'plex' || parsed.provider in ids) continue;
		if (type === 'episode' && parsed.episodeNumber !== null) continue;
		ids[parsed.provider] = parsed.id;
	}
	return ids;
}

function indexed(metadata: PlexMetadata, section: PlexSection | null): IndexedItem | null {
	const type = TYPES.get(metadata.type ?? '');
	const id = text(metadata.ratingKey);
	if (!type || id === null) return null;
	const viewCount = int(metadata.viewCount) ?? 0;
	const sectionId = text(metadata.librarySectionID);
	return {
		id,
		type,
		title: text(metadata.title),
		year: int(metadata.year),
		ids: idsOf(metadata, type),
		seriesId: type === 'episode' ? text(metadata.grandparentRatingKey) : null,
		seasonNumber: type === 'episode' ? int(metadata.parentIndex) : null,
		episodeNumber: type === 'episode' ? int(metadata.index) : null,
		library: section
			? { id: section.id, name: section.title }
			: sectionId
				? { id: sectionId, name: text(metadata.librarySectionTitle) }
				: null,
		path: text(metadata.Media?.[0]?.Part?.[0]?.file),
		// Plex keeps the state of the token's account: played means a view count.
		state: {
			played: viewCount > 0,
			lastPlayedAt: isoFromUnixSeconds(metadata.lastViewedAt),
			playCount: viewCount,
		},
	};
}

/** Every movie, show and episode of the movie and show sections, paged with the X-Plex-Container parameters. */
export async function indexPlex(context: IExecuteFunctions): Promise<IndexedItem[]> {
	const items: IndexedItem[] = [];
	for (const section of await listSections(context)) {
		const types =
			section.type === 'movie' ? [MOVIE] : section.type === 'show' ? [SHOW, EPISODE] : [];
		for (const type of types) {
			for (let start = 0; ; start += PAGE_SIZE) {
				const page = await plexRequest<MetadataPage>(context, {
					method: 'GET',
					path: `/library/sections/${encodeURIComponent(section.id)}/all`,
					qs: {
						type,
						includeGuids: 1,
						'X-Plex-Container-Start': start,
						'X-Plex-Container-Size': PAGE_SIZE,
					},
				});
				const metadata = page.MediaContainer?.Metadata ?? [];
				for (const entry of metadata) {
					const item = indexed(entry, section);
					if (item) items.push(item);
				}
				const total = page.MediaContainer?.totalSize ?? Infinity;
				if (metadata.length < PAGE_SIZE || start + metadata.length >= total) break;
			}
		}
	}
	return items;
}

export async function plexItems(context: IExecuteFunctions, ids: string[]): Promise<IndexedItem[]> {
	if (ids.length === 0) return [];
	const page = await plexRequest<MetadataPage>(context, {
		method: 'GET',
		path: `/library/metadata/${ids.map(encodeURIComponent).join(',')}`,
		// None of the ids exists any more.
		orElse: { status: 404, value: {} },
	});
	return (page.MediaContainer?.Metadata ?? []).flatMap((entry) => indexed(entry, null) ?? []);
}

/** `PUT /:/scrobble` or `/:/unscrobble`: Plex takes no date and sets the state of the token's account. */
export async function plexSetPlayed(
	context: IExecuteFunctions,
	itemId: string,
	played: boolean,
): Promise<null> {
	await plexRequest(context, {
		method: 'PUT',
		path: played ? '/:/scrobble' : '/:/unscrobble',
		qs: { identifier: 'com.plexapp.plugins.library', key: itemId },
		notFound: `item "${itemId}"`,
	});
	return null;
}
