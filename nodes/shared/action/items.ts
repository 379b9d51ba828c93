import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type JsonObject,
} from 'n8n-workflow';

/**
 * An n8n error for item `itemIndex`: ours keep their message and description, anything else is wrapped. Each item
 * gets its own error: a failed batch hands the same one to every item that joined it, from any execution.
 */
function itemError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	const node = context.getNode();
	if (error instanceof NodeApiError) {
		return new NodeApiError(node, (error.errorResponse ?? {}) as JsonObject, {
			message: error.message,
			description: error.description ?? undefined,
			httpCode: error.httpCode ?? undefined,
			itemIndex,
		});
	}
	if (error instanceof NodeOperationError) {
		return new NodeOperationError(node, error.message, {
			description: error.description ?? undefined,
			itemIndex,
		});
	}
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * Runs `run` for every input item at the same time, so that items can join one batch, and returns their
 * results in item order; a list becomes one output item per entry, all paired with that input item. A failed
 * item becomes an error item with Continue On Fail, otherwise the node fails with the first failed item's error.
 */
export async function forEachItem(
	context: IExecuteFunctions,
	run: (itemIndex: number) => Promise<IDataObject | IDataObject[]>,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const settled = await Promise.allSettled(items.map(async (_, itemIndex) => await run(itemIndex)));
	return settled.flatMap((result, itemIndex) => {
		const pairedItem = { item: itemIndex };
		if (result.status === 'fulfilled') {
			const values = Array.isArray(result.value) ? result.value : [result.value];
			return values.map((json) => ({ json, pairedItem }));
		}
		const error = itemError(context, result.reason, itemIndex);
		if (!context.continueOnFail()) throw error;
		const json: IDataObject = { error: error.message };
		if (error.description) {
			// n8n sends an item to the error output only if its json holds nothing but error, message and details
			// (an item's own `error` would do too, but n8n then replaces its json with the message alone).
			const toErrorOutput = context.getNode().onError === 'continueErrorOutput';
			json[toErrorOutput ? 'details' : 'description'] = error.description;
		}
		return [{ json, pairedItem }];
	});
}
