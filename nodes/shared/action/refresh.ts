import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';
import {
	batchOutput,
	batchTiming,
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
 * One call per batch and target, shared by the items that join it (from any execution): each item gets `output`
 * for its target, with its batch. For calls that restart or repeat server-wide work (refresh, clean).
 */
export async function oncePerBatch(
	context: IExecuteFunctions,
	api: ServerApi,
	call: {
		kind: string;
		targetOf: (itemIndex: number) => string;
		send: (target: string) => Promise<void>;
		output: (target: string) => IDataObject;
	},
): Promise<INodeExecutionData[]> {
	return await forEachItem(context, async (itemIndex) => {
		const target = call.targetOf(itemIndex);
		const options = context.getNodeParameter('options', itemIndex, {}) as BatchOptions;
		const timing = batchTiming(options);
		const joinedAt = Date.now();
		const outcome = await sendCoalesced(context, api, {
			kind: call.kind,
			timing,
			entries: [target],
			...distinctValues,
			perRequest: 1,
			send: async ([entry]) => await call.send(entry),
		});
		throwIfFailed(outcome);
		return {
			server: api.id,
			...call.output(target),
			batch: batchOutput(outcome.batch, timing, joinedAt),
		};
	});
}

/**
 * Refresh All and Refresh Library on any server. A refresh restarts a running scan on Jellyfin, so the items of
 * one batch share one call per library (`send` gets the library id, or `all`).
 */
export async function refreshLibraries(
	context: IExecuteFunctions,
	api: ServerApi,
	kind: 'refreshAll' | 'refreshLibrary',
	send: (libraryId: string) => Promise<void>,
): Promise<INodeExecutionData[]> {
	return await oncePerBatch(context, api, {
		kind,
		targetOf: (itemIndex) => (kind === 'refreshAll' ? 'all' : libraryIdOf(context, itemIndex)),
		send,
		output: (target) =>
			kind === 'refreshAll' ? { refreshed: 'all' } : { library: { id: target } },
	});
}
