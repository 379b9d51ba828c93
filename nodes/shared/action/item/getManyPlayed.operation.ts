import {
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import type { IndexedItem } from '../../../core/itemIndex';
import { isoDate } from '../../../core/values';
import { forEachItem } from '../items';
import { returnAllProperties } from '../properties';
import { resolveUser } from '../users';
import type { ServerUser, WatchServer } from '../watchServer';
import { freshIndex } from './lookup';
import { userProperties } from './options';

export function describe(server: WatchServer): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['item'], operation: ['getManyPlayed'] } }, [
		...userProperties(server),
		{
			displayName: 'Played Since',
			name: 'playedSince',
			type: 'dateTime',
			default: '',
			description:
				'Only items last played at or after this time. Leave empty for every played item.',
		},
		{
			displayName: 'Media Types',
			name: 'mediaTypes',
			type: 'multiOptions',
			options: [
				{ name: 'Episode', value: 'episode' },
				{ name: 'Movie', value: 'movie' },
			],
			default: ['episode', 'movie'],
		},
		...returnAllProperties,
	]);
}

/**
 * A played item as a media event (`event: "watched"`), so that a scheduled full sync can feed it straight into
 * another server's Mark Watched.
 */
function asMediaEvent(
	server: WatchServer,
	user: ServerUser | null,
	item: IndexedItem,
	series: IndexedItem | undefined,
): IDataObject {
	return {
		source: server.id,
		event: 'watched',
		occurredAt: item.state?.lastPlayedAt ?? null,
		user: user ? { id: user.id, name: user.name } : null,
		played: true,
		playCount: item.state?.playCount ?? null,
		media: {
			type: item.type,
			id: item.id,
			title: item.title,
			year: item.year,
			series:
				item.type === 'episode'
					? { id: item.seriesId, title: series?.title ?? null, ids: { ...(series?.ids ?? {}) } }
					: null,
			seasonNumber: item.seasonNumber,
			episodeNumber: item.episodeNumber,
			episodeNumberEnd: null,
			ids: { ...item.ids },
			library: item.library ? { ...item.library } : null,
			path: item.path,
		},
	};
}

/** Every played movie and episode of the user, latest play first, read from a freshly built index. */
export async function execute(
	this: IExecuteFunctions,
	server: WatchServer,
): Promise<INodeExecutionData[]> {
	const knownUsers = new Map<string, Promise<ServerUser[]>>();
	return await forEachItem(this, async (itemIndex) => {
		const user = await resolveUser(this, server, itemIndex, knownUsers);
		const since = isoDate(this.getNodeParameter('playedSince', itemIndex, ''));
		const types = this.getNodeParameter('mediaTypes', itemIndex, []) as string[];
		const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
		const limit = returnAll ? Infinity : (this.getNodeParameter('limit', itemIndex, 50) as number);
		const { index } = await freshIndex(this, server, user);
		const played = index
			.all()
			.filter((item) => item.state?.played && types.includes(item.type))
			.filter((item) => since === null || (item.state?.lastPlayedAt ?? '') >= since)
			.sort((a, b) => (b.state?.lastPlayedAt ?? '').localeCompare(a.state?.lastPlayedAt ?? ''));
		return played
			.slice(0, limit)
			.map((item) =>
				asMediaEvent(server, user, item, item.seriesId ? index.get(item.seriesId) : undefined),
			);
	});
}
