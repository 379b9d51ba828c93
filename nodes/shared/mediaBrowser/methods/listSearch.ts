import { librarySearch } from '../../action/libraries';
import type { MediaBrowserServer } from '../transport';

/** The list searches of a Jellyfin or Emby node. */
export function mediaBrowserListSearch(server: MediaBrowserServer) {
	return {
		searchLibraries: librarySearch(async (context) =>
			(await server.listLibraries(context)).map((library) => ({
				id: library.id,
				name: library.name,
				type: library.collectionType,
			})),
		),
	};
}
