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
	/** A multipart body as n8n's form parser leaves it: text fields in `data`, parts with a type in `files`. */
	multipart?: {
		fields?: Record<string, string>;
		files?: Record<
			string,
			{ content: string | Buffer; mimetype?: string | null; originalFilename?: string | null }
		>;
	};
}

/** What copyBinaryFile stored, as n8n's binary data store would hand it back. */
export interface CopiedBinary {
	id: string;
	fileName: string;
	mimeType?: string;
	data: string;
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
	const uploads = new Map<string, Buffer>();
	let body = call.body;
	if (call.multipart) {
		headers['content-type'] = 'multipart/form-data; boundary=test';
		const files = Object.fromEntries(
			Object.entries(call.multipart.files ?? {}).map(([field, file]) => {
				const filepath = `/tmp/upload-${field}`;
				uploads.set(filepath, Buffer.from(file.content));
				return [
					field,
					{
						filepath,
						mimetype: file.mimetype ?? null,
						originalFilename: file.originalFilename ?? null,
					},
				];
			}),
		);
		body = { data: call.multipart.fields ?? {}, files };
	}
	const copied: CopiedBinary[] = [];
	const copyBinaryFile = jest.fn(async (filepath: string, fileName: string, mimeType?: string) => {
		const content = uploads.get(filepath);
		if (!content) throw new Error(`No uploaded file at ${filepath}`);
		const binary = { id: `filesystem-v2:${filepath}`, fileName, mimeType, data: 'filesystem-v2' };
		copied.push(binary);
		return binary;
	});
	const context = {
		getBodyData: () => body ?? {},
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
		nodeHelpers: { copyBinaryFile },
		helpers: {
			getBinaryStream: async (id: string) => id,
			binaryToString: async (id: string) =>
				uploads.get(id.replace('filesystem-v2:', ''))?.toString('utf8') ?? '',
		},
	};
	return { context: context as unknown as IWebhookFunctions, response, request, copied };
}
