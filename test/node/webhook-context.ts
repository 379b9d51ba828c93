import type { INodeTypeDescription, IWebhookFunctions } from 'n8n-workflow';

/**
 * A hand-built IWebhookFunctions for calling a trigger's webhook() directly, in the spirit of n8n's own
 * TriggerHelpers: parameters fall back to the node description's defaults, as n8n does.
 */
export interface WebhookCall {
	body?: unknown;
	rawBody?: Buffer;
	headers?: Record<string, string>;
	query?: Record<string, string>;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { name: string; value: string }>;
	workflowId?: string;
	nodeId?: string;
	/** Files of a multipart body, as n8n's form parser leaves them (Plex). */
	copyBinaryFile?: (path: string, fileName: string, mimeType?: string) => Promise<unknown>;
	binaryText?: (id: string) => Promise<string>;
}

export interface RecordedResponse {
	statusCode?: number;
	body?: unknown;
}

export function webhookContext(description: INodeTypeDescription, call: WebhookCall = {}) {
	const defaults = Object.fromEntries(
		description.properties.map((property) => [property.name, property.default]),
	);
	const parameters = { ...defaults, ...call.parameters };
	const response: RecordedResponse = {};
	const responseObject = {
		status(code: number) {
			response.statusCode = code;
			return responseObject;
		},
		json(body: unknown) {
			response.body = body;
			return responseObject;
		},
	};
	const request = {
		rawBody: call.rawBody,
		readRawBody: jest.fn(async () => undefined),
	};
	const headers = Object.fromEntries(
		Object.entries(call.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
	);
	const context = {
		getBodyData: () => call.body ?? {},
		getHeaderData: () => headers,
		getQueryData: () => call.query ?? {},
		getRequestObject: () => request,
		getResponseObject: () => responseObject,
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in parameters ? parameters[name] : fallback,
		getCredentials: async (type: string) => {
			const credentials = call.credentials?.[type];
			if (!credentials) throw new Error(`No credentials of type ${type} in this test`);
			return credentials;
		},
		getNode: () => ({
			id: call.nodeId ?? 'node-1',
			name: description.defaults.name,
			type: description.name,
			typeVersion: 1,
			position: [0, 0],
			parameters,
		}),
		getWorkflow: () => ({ id: call.workflowId ?? 'workflow-1', name: 'test', active: true }),
		nodeHelpers: { copyBinaryFile: call.copyBinaryFile ?? jest.fn() },
		helpers: {
			getBinaryStream: async (id: string) => id,
			binaryToString: async (id: string) => (call.binaryText ? call.binaryText(id) : ''),
		},
	};
	return { context: context as unknown as IWebhookFunctions, response, request };
}
