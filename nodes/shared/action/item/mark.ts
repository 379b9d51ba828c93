import {
	NodeOperationError,
	updateDisplayOptions,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { concurrencyLimit } from '../../../core/batching';
import { isoDate } from '../../../core/values';
import { decideWatch } from '../../../core/watchDecision';
import { forEachItem } from '../items';
import { resolveUser } from '../users';
import type { ServerUser, WatchServer } from '../watchServer';
import { identifyProperties, itemTarget, type ItemTarget } from './identify';
import { itemOutput, lookUp } from './lookup';
import {
	DEFAULT_INDEX_MAX_AGE_MINUTES,
	markOptions,
	userProperties,
	type ItemOptions,
} from './options';

/** Requests in flight per node execution: a batch of 500 items must not hit the server 500 at once. */
const PARALLEL_REQUESTS = 4;

export function markDescription(operation: string, server: WatchServer): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['item'], operation: [operation] } }, [
		...identifyProperties,
		...userProperties(server),
		markOptions,
	]);
}

function describeTarget(target: ItemTarget): IDataObject {
	if ('itemId' in target) return { itemId: target.itemId };
	if ('query' in target) return { ...target.query };
	return {};
}

/** When the change happened: the option, else the input event's occurredAt, else now. */
function eventTime(context: IExecuteFunctions, itemIndex: number, options: ItemOptions): string {
	return (
		isoDate(options.eventTime) ??
		isoDate(context.getInputData()[itemIndex].json.occurredAt) ??
		new Date().toISOString()
	);
}

/**
 * Mark Watched / Mark Unwatched on any server: find the copies, skip those already in the wanted state (so no
 * webhook echoes back into a two-way sync) or with a later play when Only If Newer is on, write the rest.
 */
export async function markItems(
	context: IExecuteFunctions,
	server: WatchServer,
	played: boolean,
): Promise<INodeExecutionData[]> {
	const executionStart = Date.now();
	const limit = concurrencyLimit(PARALLEL_REQUESTS);
	const knownUsers = new Map<string, Promise<ServerUser[]>>();
	// Writes of this execution by server item and user: a batch that names one movie twice writes it once.
	const writes = new Map<string, number>();
	return await forEachItem(context, async (itemIndex) => {
		const options = context.getNodeParameter('options', itemIndex, {}) as ItemOptions;
		const user = await resolveUser(context, server, itemIndex, knownUsers);
		const at = eventTime(context, itemIndex, options);
		const target = itemTarget(context, itemIndex);
		const base: IDataObject = {
			server: server.id,
			user: user ? { id: user.id, name: user.name } : null,
			played,
			at,
			target: describeTarget(target),
		};
		if ('problem' in target) {
			return {
				...base,
				status: target.problem,
				detail: target.detail,
				items: [],
				changed: 0,
				skipped: 0,
			};
		}
		const found = await limit(
			async () =>
				await lookUp(context, server, user, target, {
					maxAgeMs: (options.indexMaxAge ?? DEFAULT_INDEX_MAX_AGE_MINUTES) * 60_000,
					firstOnly: options.matches === 'first',
					executionStart,
				}),
		);
		if (found.items.length === 0) {
			const detail = `${server.name} has no item matching ${JSON.stringify(base.target)}`;
			if (options.errorIfNotFound) {
				throw new NodeOperationError(context.getNode(), detail, { itemIndex });
			}
			return { ...base, status: 'notFound', detail, items: [], changed: 0, skipped: 0 };
		}
		const results = await Promise.all(
			found.items.map(async (item) => {
				const decision = decideWatch({
					played,
					current: item.state,
					at,
					onlyIfNewer: options.onlyIfNewer ?? true,
				});
				if (!decision.write) {
					return {
						...itemOutput(item),
						action: 'skipped',
						reason: decision.reason,
						detail: decision.detail,
					};
				}
				const writeKey = `${user?.id ?? ''}|${item.id}|${played}`;
				const earlier = writes.get(writeKey);
				if (earlier !== undefined) {
					return {
						...itemOutput(item),
						action: 'skipped',
						reason: played ? 'alreadyWatched' : 'alreadyUnwatched',
						detail: `marked by input item ${earlier} of this execution`,
					};
				}
				writes.set(writeKey, itemIndex);
				const after = await limit(
					async () => await server.setPlayed(context, user, item, played, at),
				);
				found.index?.index.setState(
					item.id,
					after ?? {
						played,
						lastPlayedAt: played ? at : (item.state?.lastPlayedAt ?? null),
						playCount: null,
					},
				);
				return { ...itemOutput(item), action: 'marked' };
			}),
		);
		const changed = results.filter((result) => result.action === 'marked').length;
		return {
			...base,
			status: changed > 0 ? 'changed' : 'unchanged',
			items: results,
			changed,
			skipped: results.length - changed,
		};
	});
}
