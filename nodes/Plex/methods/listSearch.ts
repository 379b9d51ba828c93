import { librarySearch } from '../../shared/action/libraries';
import { listSections } from '../transport';

export const listSearch = {
	searchLibraries: librarySearch(async (context) =>
		(await listSections(context)).map((section) => ({
			id: section.id,
			name: section.title,
			type: section.type,
		})),
	),
};
