import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import type { IndexedItem, PlayState } from '../../core/itemIndex';
import type { ServerApi } from './request';

export type ApiContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface ServerUser {
	id: string;
	name: string;
	isAdmin: boolean | null;
	isDisabled: boolean | null;
	isHidden: boolean | null;
}

/** What the Item and User operations need from a server; Jellyfin and Emby share one, Plex has its own. */
export interface WatchServer extends ServerApi {
	/** Jellyfin and Emby have users to choose; a Plex token is itself the user (null). */
	users: {
		list(context: ApiContext): Promise<ServerUser[]>;
		/** The signed-in user of a user-token credential; null for an API key, which acts for nobody. */
		self(context: ApiContext): Promise<ServerUser | null>;
	} | null;
	/** Every movie, series and episode with its ids, and the user's state when a user is given. */
	indexItems(context: IExecuteFunctions, user: ServerUser | null): Promise<IndexedItem[]>;
	/** These items as the server has them now; unknown ids are left out. */
	getItems(
		context: IExecuteFunctions,
		user: ServerUser | null,
		ids: string[],
	): Promise<IndexedItem[]>;
	/** Marks one item played or unplayed; returns the state the server reports, where it does. */
	setPlayed(
		context: IExecuteFunctions,
		user: ServerUser | null,
		item: IndexedItem,
		played: boolean,
		at: string,
	): Promise<PlayState | null>;
}
