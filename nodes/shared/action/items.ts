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
 * results in item order. A failed item becomes an error item with Continue On Fail, otherwise the node fails
 * with the first failed item's error.
 */
export async function forEachItem(
	context: IExecuteFunctions,
	run: (itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const settled = await Promise.allSettled(items.map(async (_, itemIndex) => await run(itemIndex)));
	return settled.map((result, itemIndex) => {
		if (result.status === 'fulfilled')
			return { json: result.value, pairedItem: { item: itemIndex } };
		const error = itemError(context, result.reason, itemIndex);
		if (!context.continueOnFail()) throw error;
		return {
			json: {
				error: error.message,
				...(error.description ? { description: error.description } : {}),
			},
			pairedItem: { item: itemIndex },
		};
	});
}
