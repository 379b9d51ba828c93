import {
	NodeOperationError,
	updateDisplayOptions,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { concurrencyLimit } from '../../../core/batching';
import { forEachItem } from '../items';
import { optionsProperty } from '../properties';
import { resolveUser } from '../users';
import type { ServerUser, WatchServer } from '../watchServer';
import { identifyProperties, itemTarget } from './identify';
import { itemOutput, lookUp } from './lookup';
import {
	DEFAULT_INDEX_MAX_AGE_MINUTES,
	errorIfNotFoundOption,
	indexMaxAgeOption,
	matchesOption,
	userProperties,
	type ItemOptions,
} from './options';

export function describe(server: WatchServer): INodeProperties[] {
	return updateDisplayOptions({ show: { resource: ['item'], operation: ['findByProviderId'] } }, [
		...identifyProperties,
		...userProperties(server),
		optionsProperty([matchesOption, errorIfNotFoundOption, indexMaxAgeOption]),
	]);
}

/** One output item per match (its library, path and the user's played state), or one with `found: false`. */
export async function execute(
	this: IExecuteFunctions,
	server: WatchServer,
): Promise<INodeExecutionData[]> {
	const executionStart = Date.now();
	const limit = concurrencyLimit(4);
	const knownUsers = new Map<string, Promise<ServerUser[]>>();
	return await forEachItem(this, async (itemIndex) => {
		const options = this.getNodeParameter('options', itemIndex, {}) as ItemOptions;
		const target = itemTarget(this, itemIndex);
		if ('problem' in target) {
			return { server: server.id, found: false, status: target.problem, detail: target.detail };
		}
		// Without a user the items are found all the same, only their played state is unknown.
		const locator = this.getNodeParameter('user', itemIndex, { value: '' }) as { value?: string };
		const user =
			server.users === null || String(locator.value ?? '') === ''
				? ((await server.users?.self(this)) ?? null)
				: await resolveUser(this, server, itemIndex, knownUsers);
		const found = await limit(
			async () =>
				await lookUp(this, server, user, target, {
					maxAgeMs: (options.indexMaxAge ?? DEFAULT_INDEX_MAX_AGE_MINUTES) * 60_000,
					firstOnly: options.matches === 'first',
					executionStart,
				}),
		);
		if (found.items.length > 0) {
			return found.items.map((item) => ({ server: server.id, found: true, ...itemOutput(item) }));
		}
		const detail = `${server.name} has no item matching ${JSON.stringify('query' in target ? target.query : target)}`;
		if (options.errorIfNotFound)
			throw new NodeOperationError(this.getNode(), detail, { itemIndex });
		return { server: server.id, found: false, status: 'notFound', detail };
	});
}
