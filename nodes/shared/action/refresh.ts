import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import {
	batchOutput,
	batchWindowMs,
	distinctValues,
	refreshOptionsProperty,
	sendCoalesced,
	throwIfFailed,
	type BatchOptions,
} from './batching';
import { forEachItem } from './items';
import { libraryLocatorProperty } from './libraries';
import type { ServerApi } from './request';

export const refreshAllDescription = updateDisplayOptions(
	{ show: { resource: ['library'], operation: ['refreshAll'] } },
	[refreshOptionsProperty],
);

export const refreshLibraryDescription = updateDisplayOptions(
	{ show: { resource: ['library'], operation: ['refreshLibrary'] } },
	[libraryLocatorProperty, refreshOptionsProperty],
);

function libraryIdOf(context: IExecuteFunctions, itemIndex: number): string {
	const id = String(
		context.getNodeParameter('library', itemIndex, '', { extractValue: true }),
	).trim();
	if (id === '') throw new NodeOperationError(context.getNode(), 'Choose a library', { itemIndex });
	return id;
}

/**
 * Refresh All and Refresh Library on any server. A refresh restarts a running scan on Jellyfin, so the items of
 * one batch window share one call per library (`send` gets the library id, or `all`).
 */
export async function refreshLibraries(
	context: IExecuteFunctions,
	api: ServerApi,
	kind: 'refreshAll' | 'refreshLibrary',
	send: (libraryId: string) => Promise<void>,
): Promise<INodeExecutionData[]> {
	return await forEachItem(context, async (itemIndex) => {
		const target = kind === 'refreshAll' ? 'all' : libraryIdOf(context, itemIndex);
		const options = context.getNodeParameter('options', itemIndex, {}) as BatchOptions;
		const windowMs = batchWindowMs(options);
		const joinedAt = Date.now();
		const outcome = await sendCoalesced(context, api, {
			kind,
			windowMs,
			entries: [target],
			...distinctValues,
			perRequest: 1,
			send: async ([libraryId]) => await send(libraryId),
		});
		throwIfFailed(outcome);
		return {
			server: api.id,
			...(kind === 'refreshAll' ? { refreshed: 'all' } : { library: { id: target } }),
			batch: batchOutput(outcome.batch, windowMs, joinedAt),
		};
	});
}
