import type { IExecuteFunctions } from 'n8n-workflow';
import type { MediaLibrary } from '../../core/event';
import type { IndexedItem, PlayState } from '../../core/itemIndex';
import { normalizeIds } from '../../core/providerIds';
import { int, isoDate, text } from '../../core/values';
import type { ApiContext, ServerUser } from '../action/watchServer';
import { mediaBrowserRequest, type MediaBrowserServer } from './transport';

/** Jellyfin's and Emby's item and user shapes (BaseItemDto, UserDto, UserItemDataDto), the fields read here. */
export interface ItemDto {
	Id?: string;
	Name?: string;
	Type?: string;
	ProductionYear?: number;
	ProviderIds?: Record<string, string>;
	Path?: string;
	SeriesId?: string;
	ParentIndexNumber?: number;
	IndexNumber?: number;
	UserData?: UserDataDto;
}

export interface UserDataDto {
	Played?: boolean;
	PlayCount?: number;
	LastPlayedDate?: string;
}

export interface UserDto {
	Id?: string;
	Name?: string;
	Policy?: { IsAdministrator?: boolean; IsDisabled?: boolean; IsHidden?: boolean };
}

/** Libraries with no movies or shows in them are not paged. */
const SKIPPED_COLLECTIONS = new Set([
	'music',
	'musicvideos',
	'books',
	'photos',
	'livetv',
	'playlists',
]);
const ITEM_TYPES = new Map<string, IndexedItem['type']>([
	['Movie', 'movie'],
	['Series', 'series'],
	['Episode', 'episode'],
]);
/** Items per page; Movary pages Jellyfin by 1,000 as well. */
export const PAGE_SIZE = 1000;

export function playState(data: UserDataDto | undefined): PlayState | null {
	if (!data) return null;
	return {
		played: data.Played === true,
		lastPlayedAt: isoDate(data.LastPlayedDate),
		playCount: int(data.PlayCount),
	};
}

function indexed(
	dto: ItemDto,
	library: MediaLibrary | null,
	withUser: boolean,
): IndexedItem | null {
	const type = ITEM_TYPES.get(dto.Type ?? '');
	const id = text(dto.Id);
	if (!type || id === null) return null;
	return {
		id,
		type,
		title: text(dto.Name),
		year: int(dto.ProductionYear),
		ids: normalizeIds(dto.ProviderIds),
		seriesId: type === 'episode' ? text(dto.SeriesId) : null,
		seasonNumber: type === 'episode' ? int(dto.ParentIndexNumber) : null,
		episodeNumber: type === 'episode' ? int(dto.IndexNumber) : null,
		library,
		path: text(dto.Path),
		state: withUser
			? (playState(dto.UserData) ?? { played: false, lastPlayedAt: null, playCount: null })
			: null,
	};
}

/**
 * Every movie, series and episode, library by library so that each knows its library. A user token may not list
 * libraries (administrators only): then the items are read without them.
 */
export async function indexLibrary(
	context: IExecuteFunctions,
	server: MediaBrowserServer,
	user: ServerUser | null,
): Promise<IndexedItem[]> {
	const libraries = await server.listLibraries(context, []);
	const scopes: Array<{ parentId: string | null; library: MediaLibrary | null }> =
		libraries.length === 0
			? [{ parentId: null, library: null }]
			: libraries
					.filter((library) => !SKIPPED_COLLECTIONS.has(library.collectionType ?? ''))
					.map((library) => ({
						parentId: library.id,
						library: { id: library.id, name: library.name },
					}));
	const items: IndexedItem[] = [];
	for (const scope of scopes) {
		for (let startIndex = 0; ; startIndex += PAGE_SIZE) {
			const page = await mediaBrowserRequest<{ Items?: ItemDto[]; TotalRecordCount?: number }>(
				context,
				server,
				server.itemsRequest(user, { parentId: scope.parentId, startIndex, limit: PAGE_SIZE }),
			);
			const dtos = page.Items ?? [];
			for (const dto of dtos) {
				const item = indexed(dto, scope.library, user !== null);
				if (item) items.push(item);
			}
			const total = page.TotalRecordCount ?? Infinity;
			if (dtos.length < PAGE_SIZE || startIndex + dtos.length >= total) break;
		}
	}
	return items;
}

export async function itemsById(
	context: IExecuteFunctions,
	server: MediaBrowserServer,
	user: ServerUser | null,
	ids: string[],
): Promise<IndexedItem[]> {
	const page = await mediaBrowserRequest<{ Items?: ItemDto[] }>(
		context,
		server,
		server.itemsRequest(user, { ids }),
	);
	return (page.Items ?? []).flatMap((dto) => indexed(dto, null, user !== null) ?? []);
}

export async function writePlayed(
	context: IExecuteFunctions,
	server: MediaBrowserServer,
	user: ServerUser | null,
	itemId: string,
	played: boolean,
	at: string,
): Promise<PlayState | null> {
	const answer = await mediaBrowserRequest<UserDataDto | undefined>(
		context,
		server,
		server.playedRequest(user, itemId, played, at),
	);
	return playState(typeof answer === 'object' ? answer : undefined);
}

export function toUser(dto: UserDto): ServerUser | null {
	const id = text(dto.Id);
	if (id === null) return null;
	return {
		id,
		name: text(dto.Name) ?? id,
		isAdmin: dto.Policy?.IsAdministrator ?? null,
		isDisabled: dto.Policy?.IsDisabled ?? null,
		isHidden: dto.Policy?.IsHidden ?? null,
	};
}

export type { ApiContext };
