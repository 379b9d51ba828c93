import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { IndexedItem } from '../../../core/itemIndex';
import { cachedIndex, findItems, type CachedIndex } from '../itemIndexCache';
import type { ServerUser, WatchServer } from '../watchServer';
import type { ItemTarget } from './identify';

export interface LookupOptions {
	maxAgeMs: number;
	firstOnly: boolean;
	/** When this node execution started: index states read since then count as fresh. */
	executionStart: number;
}

export interface Found {
	items: IndexedItem[];
	/** The index they came from; null for an item ID, which is read directly. */
	index: CachedIndex | null;
}

/**
 * The server's items for the target, with their current state. States in an index built by an earlier execution
 * may be stale, and a stale "already watched" would skip a needed write, so those items are read again.
 */
export async function lookUp(
	context: IExecuteFunctions,
	server: WatchServer,
	user: ServerUser | null,
	target: Exclude<ItemTarget, { problem: string }>,
	options: LookupOptions,
): Promise<Found> {
	if ('itemId' in target) {
		return { items: await server.getItems(context, user, [target.itemId]), index: null };
	}
	const found = await findItems(context, server, user, target.query, options.maxAgeMs);
	const items = options.firstOnly ? found.items.slice(0, 1) : found.items;
	if (items.length === 0 || found.index.builtAt >= options.executionStart) {
		return { items, index: found.index };
	}
	const current = new Map(
		(
			await server.getItems(
				context,
				user,
				items.map((item) => item.id),
			)
		).map((item) => [item.id, item]),
	);
	return {
		// Index details (library) kept; state from the server now. Items gone from the server are dropped.
		items: items.flatMap((item) => {
			const now = current.get(item.id);
			return now ? [{ ...item, state: now.state }] : [];
		}),
		index: found.index,
	};
}

/** An indexed item as the Item operations output it. */
export function itemOutput(item: IndexedItem): IDataObject {
	return {
		id: item.id,
		type: item.type,
		title: item.title,
		year: item.year,
		library: item.library ? { ...item.library } : null,
		path: item.path,
		ids: { ...item.ids },
		...(item.type === 'episode'
			? {
					seriesId: item.seriesId,
					seasonNumber: item.seasonNumber,
					episodeNumber: item.episodeNumber,
				}
			: {}),
		played: item.state?.played ?? null,
		lastPlayedAt: item.state?.lastPlayedAt ?? null,
		playCount: item.state?.playCount ?? null,
	};
}

/** The whole index, fresh: for Get Many Played, which reads every played item. */
export async function freshIndex(
	context: IExecuteFunctions,
	server: WatchServer,
	user: ServerUser | null,
): Promise<CachedIndex> {
	return await cachedIndex(context, server, user, { maxAgeMs: 0, rebuild: true });
}
