import type { IExecuteFunctions } from 'n8n-workflow';
import { ItemIndex, type IndexedItem, type ItemQuery } from '../../core/itemIndex';
import { batchKey } from './batching';
import type { ServerUser, WatchServer } from './watchServer';

/**
 * The provider-id index of a server, per credential and user, kept in the n8n process for Index Max Age and
 * shared by every item and execution (Movary keeps a library cache the same way). Concurrent callers share
 * one build.
 */
export interface CachedIndex {
	index: ItemIndex;
	/** When the build started: states read then are at least this fresh. */
	builtAt: number;
}

const cache = new Map<string, CachedIndex>();
const builds = new Map<string, Promise<CachedIndex>>();
/** Indexes kept at most, for credentials × users; the oldest go first. */
const MAX_INDEXES = 32;
/** A lookup that finds nothing rebuilds an index at most this often, so unknown ids cannot page the library each time. */
export const MISS_REBUILD_AFTER_MS = 30_000;

function indexKey(
	context: IExecuteFunctions,
	server: WatchServer,
	user: ServerUser | null,
): string {
	return `${batchKey(context, server, 'itemIndex')}:${user?.id ?? ''}`;
}

export async function cachedIndex(
	context: IExecuteFunctions,
	server: WatchServer,
	user: ServerUser | null,
	options: { maxAgeMs: number; rebuild?: boolean },
): Promise<CachedIndex> {
	const key = indexKey(context, server, user);
	const cached = cache.get(key);
	if (!options.rebuild && cached && Date.now() - cached.builtAt <= options.maxAgeMs) return cached;
	const running = builds.get(key);
	if (running) return await running;
	const build = (async () => {
		const builtAt = Date.now();
		const index = new ItemIndex(await server.indexItems(context, user));
		const fresh = { index, builtAt };
		cache.delete(key);
		cache.set(key, fresh);
		while (cache.size > MAX_INDEXES) cache.delete(cache.keys().next().value as string);
		return fresh;
	})();
	builds.set(key, build);
	try {
		return await build;
	} finally {
		builds.delete(key);
	}
}

/** Looks the query up; when nothing matches and the index is older than MISS_REBUILD_AFTER_MS, rebuilds once. */
export async function findItems(
	context: IExecuteFunctions,
	server: WatchServer,
	user: ServerUser | null,
	query: ItemQuery,
	maxAgeMs: number,
): Promise<{ items: IndexedItem[]; index: CachedIndex }> {
	let index = await cachedIndex(context, server, user, { maxAgeMs });
	let items = index.index.find(query);
	if (items.length === 0 && Date.now() - index.builtAt > MISS_REBUILD_AFTER_MS) {
		index = await cachedIndex(context, server, user, { maxAgeMs, rebuild: true });
		items = index.index.find(query);
	}
	return { items, index };
}

/** Forgets every index (tests). */
export function clearIndexes(): void {
	cache.clear();
}
