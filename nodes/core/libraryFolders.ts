/**
 * Which library folder holds a changed path, for servers that scan by folder (Plex partial scans). Pure code,
 * no n8n imports.
 */
import { isWithin, parentFolder, pathKey } from './paths';

export interface LibraryFolders {
	id: string;
	title: string;
	/** The library's root folders as the server sees them. */
	locations: string[];
}

export interface FolderScan {
	libraryId: string;
	library: string;
	/** The folder to scan; null scans the whole library. */
	folder: string | null;
}

/**
 * The folder scans that cover `paths`: for each library with a root folder that holds the path, the folder that
 * contains the path (never above that root, since the server only scans inside its libraries). A deleted file's
 * folder still exists, so its scan notices the removal. Paths no library holds are returned apart.
 */
export function folderScans(
	paths: string[],
	libraries: LibraryFolders[],
): { scans: FolderScan[]; unmatched: string[] } {
	const scans = new Map<string, FolderScan>();
	const unmatched: string[] = [];
	for (const path of paths) {
		let matched = false;
		for (const library of libraries) {
			const roots = library.locations.filter((location) => isWithin(path, location));
			if (roots.length === 0) continue;
			matched = true;
			// The deepest root: a library may list a folder and one inside it.
			const root = roots.reduce((a, b) => (pathKey(b).length > pathKey(a).length ? b : a));
			const folder = pathKey(path) === pathKey(root) ? root : parentFolder(path);
			const scan = { libraryId: library.id, library: library.title, folder };
			scans.set(`${library.id}\n${pathKey(folder)}`, scan);
		}
		if (!matched) unmatched.push(path);
	}
	return { scans: [...scans.values()], unmatched };
}
