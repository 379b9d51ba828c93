import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

/** An n8n error for item `itemIndex`: ours keep their message and gain the index, anything else is wrapped. */
function itemError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
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
		if (error.description) json.description = error.description;
		return [{ json, pairedItem }];
	});
}
