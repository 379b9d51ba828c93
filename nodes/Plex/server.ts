import type { WatchServer } from '../shared/action/watchServer';
import { PLEX_API } from './transport';
import { indexPlex, plexItems, plexSetPlayed } from './watch';

/** Plex as the Item operations see it: a token is one account, so there is no user to pick. */
export const PLEX: WatchServer = {
	...PLEX_API,
	users: null,
	indexItems: async (context) => await indexPlex(context),
	getItems: async (context, _user, ids) => await plexItems(context, ids),
	setPlayed: async (context, _user, item, played) => await plexSetPlayed(context, item.id, played),
};
