import type { ILoadOptionsFunctions, INodeListSearchResult, INodeProperties } from 'n8n-workflow';

export interface LibraryChoice {
	id: string;
	name: string;
	/** movies, tvshows, show, artist, … as the server names the kind. */
	type: string | null;
}

/** Library: picked from the server's list, or by ID. */
export const libraryLocatorProperty: INodeProperties = {
	displayName: 'Library',
	name: 'library',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			typeOptions: { searchListMethod: 'searchLibraries', searchable: true },
		},
		{
			displayName: 'ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. f137a2dd21bbc1b99aa5c0f6bf02a805',
		},
	],
};

/** The list search behind Library's From List mode, for one server's way of listing libraries. */
export function librarySearch(
	list: (context: ILoadOptionsFunctions) => Promise<LibraryChoice[]>,
): (this: ILoadOptionsFunctions, filter?: string) => Promise<INodeListSearchResult> {
	return async function searchLibraries(this: ILoadOptionsFunctions, filter?: string) {
		const wanted = (filter ?? '').trim().toLowerCase();
		const libraries = (await list(this))
			.filter((library) => wanted === '' || library.name.toLowerCase().includes(wanted))
			.sort((a, b) => a.name.localeCompare(b.name));
		return {
			results: libraries.map((library) => ({
				name: library.type ? `${library.name} (${library.type})` : library.name,
				value: library.id,
			})),
		};
	};
}

const ITEM_RESOURCE = {
	name: 'Item',
	value: 'item',
	description: 'Movies and episodes: played state, lookups',
};
const LIBRARY_RESOURCE = { name: 'Library', value: 'library', description: 'Scans and refreshes' };
const USER_RESOURCE = { name: 'User', value: 'user' };

/** Resource selector; servers without a user list (Plex) have no User resource. */
export function resourceProperty(withUsers: boolean): INodeProperties {
	return {
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: withUsers
			? [ITEM_RESOURCE, LIBRARY_RESOURCE, USER_RESOURCE]
			: [ITEM_RESOURCE, LIBRARY_RESOURCE],
		default: 'library',
	};
}

/** The Library operations, the same on every server. */
export const libraryOperationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['library'] } },
	options: [
		{
			name: 'Refresh All',
			value: 'refreshAll',
			description: 'Scan every library for new, changed and removed files',
			action: 'Refresh all libraries',
		},
		{
			name: 'Refresh Library',
			value: 'refreshLibrary',
			description: 'Scan one library for new, changed and removed files',
			action: 'Refresh a library',
		},
		{
			name: 'Scan Paths',
			value: 'scanPaths',
			description:
				'Tell the server exactly which files or folders changed, e.g. what Sonarr or Radarr just imported',
			action: 'Scan changed paths',
		},
	],
	default: 'scanPaths',
};
