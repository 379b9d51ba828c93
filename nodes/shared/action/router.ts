import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';
import { ownEntry } from '../../core/values';

/** One operation in Airtable v2's shape: its parameters, and what it does for the node's input items. */
export interface Operation<Server> {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, server: Server): Promise<INodeExecutionData[]>;
}

export type Resources<Server> = Record<string, Record<string, Operation<Server>>>;

/** Runs the selected resource's operation for the node's items. */
export async function route<Server>(
	context: IExecuteFunctions,
	server: Server,
	resources: Resources<Server>,
): Promise<INodeExecutionData[][]> {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const selected = ownEntry(ownEntry(resources, resource) ?? {}, operation);
	if (!selected) {
		throw new NodeOperationError(
			context.getNode(),
			`The operation "${operation}" is not supported for resource "${resource}"`,
		);
	}
	return [await selected.execute.call(context, server)];
}

/** A resource from its operation modules: the modules by operation name, and every parameter they show. */
export function resource<Server>(
	operationProperty: INodeProperties,
	operations: Record<string, Operation<Server>>,
): { operations: Record<string, Operation<Server>>; description: INodeProperties[] } {
	return {
		operations,
		description: [
			operationProperty,
			...Object.values(operations).flatMap((operation) => operation.description),
		],
	};
}
