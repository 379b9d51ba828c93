import { librarySearch } from '../../action/libraries';
import { userSearch } from '../../action/users';
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
		searchUsers: userSearch(server),
	};
}
