import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { hasIds, queryFromEvent, type ItemQuery, type QueryProblem } from '../../../core/itemIndex';
import { normalizeIds } from '../../../core/providerIds';

/** How the Item operations find the item: from the event on the input, typed ids, or the server's own id. */
export const identifyProperties: INodeProperties[] = [
	{
		displayName: 'Find Item By',
		name: 'identifyBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Media Event on Input',
				value: 'inputEvent',
				description:
					"The input item's media event, as every trigger of this package emits it: its media type, provider IDs (an episode's show's too) and season and episode numbers",
			},
			{
				name: 'Provider IDs',
				value: 'providerIds',
				description: 'Type the TMDB, IMDb or TVDB ID',
			},
			{ name: 'Item ID on This Server', value: 'itemId' },
		],
		default: 'inputEvent',
	},
	{
		displayName: 'Media Type',
		name: 'mediaType',
		type: 'options',
		options: [
			{ name: 'Movie', value: 'movie' },
			{ name: 'Episode', value: 'episode', description: "Found by its show's IDs and its numbers" },
		],
		default: 'movie',
		displayOptions: { show: { identifyBy: ['providerIds'] } },
	},
	...(['TMDB', 'IMDb', 'TVDB'] as const).map(
		(provider): INodeProperties => ({
			displayName: `${provider} ID`,
			name: `${provider.toLowerCase()}Id`,
			type: 'string',
			default: '',
			placeholder: { TMDB: 'e.g. 603', IMDb: 'e.g. tt0133093', TVDB: 'e.g. 371980' }[provider],
			description: `The movie's ${provider} ID, or for an episode its show's`,
			displayOptions: { show: { identifyBy: ['providerIds'] } },
		}),
	),
	{
		displayName: 'Season Number',
		name: 'seasonNumber',
		type: 'number',
		default: 1,
		displayOptions: { show: { identifyBy: ['providerIds'], mediaType: ['episode'] } },
	},
	{
		displayName: 'Episode Number',
		name: 'episodeNumber',
		type: 'number',
		default: 1,
		displayOptions: { show: { identifyBy: ['providerIds'], mediaType: ['episode'] } },
	},
	{
		displayName: 'Item ID',
		name: 'itemId',
		type: 'string',
		default: '',
		required: true,
		description: "The movie's or episode's ID on this server (Plex: its ratingKey)",
		displayOptions: { show: { identifyBy: ['itemId'] } },
	},
];

export type ItemTarget = { query: ItemQuery } | { itemId: string } | QueryProblem;

/** What item `itemIndex` asks for. */
export function itemTarget(context: IExecuteFunctions, itemIndex: number): ItemTarget {
	const identifyBy = context.getNodeParameter('identifyBy', itemIndex) as string;
	if (identifyBy === 'itemId') {
		const itemId = String(context.getNodeParameter('itemId', itemIndex, '')).trim();
		return itemId === '' ? { problem: 'noIds', detail: 'Item ID is empty' } : { itemId };
	}
	if (identifyBy === 'inputEvent') {
		const query = queryFromEvent(context.getInputData()[itemIndex].json);
		return 'problem' in query ? query : { query };
	}
	const type = context.getNodeParameter('mediaType', itemIndex) as 'movie' | 'episode';
	const ids = normalizeIds({
		tmdb: context.getNodeParameter('tmdbId', itemIndex, ''),
		imdb: context.getNodeParameter('imdbId', itemIndex, ''),
		tvdb: context.getNodeParameter('tvdbId', itemIndex, ''),
	});
	const query: ItemQuery =
		type === 'movie'
			? { type, ids, seriesIds: {}, seasonNumber: null, episodeNumber: null }
			: {
					type,
					ids: {},
					seriesIds: ids,
					seasonNumber: context.getNodeParameter('seasonNumber', itemIndex) as number,
					episodeNumber: context.getNodeParameter('episodeNumber', itemIndex) as number,
				};
	return hasIds(query)
		? { query }
		: { problem: 'noIds', detail: 'type at least one TMDB, IMDb or TVDB ID' };
}
