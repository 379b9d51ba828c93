import {
	NodeApiError,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type ITriggerFunctions,
} from 'n8n-workflow';
import { serverRequest, type ServerApi } from '../shared/action/request';

export const KODI_API: ServerApi = { id: 'kodi', name: 'Kodi', credentialType: 'kodiApi' };

interface RpcAnswer<T> {
	result?: T;
	error?: {
		code?: number;
		message?: string;
		data?: { stack?: { message?: string; name?: string } };
	};
}

/**
 * One JSON-RPC call (`POST /jsonrpc`). Kodi answers its own errors with HTTP 200 and an `error` object, and checks
 * its parameters against its schema: both become a clear error here.
 */
export async function kodiRpc<T>(
	context: IExecuteFunctions | ILoadOptionsFunctions | ITriggerFunctions,
	method: string,
	params: IDataObject = {},
	/** Returned instead of failing when Kodi calls the parameters invalid (-32602), e.g. for an id it does not have. */
	ifInvalidParams?: { value: T },
): Promise<T> {
	const answer = await serverRequest<RpcAnswer<T>>(context, KODI_API, {
		method: 'POST',
		path: '/jsonrpc',
		body: { jsonrpc: '2.0', id: 1, method, params },
	});
	if (answer?.error?.code === -32602 && ifInvalidParams) return ifInvalidParams.value;
	if (answer?.error) {
		const detail = answer.error.data?.stack;
		const message = `Kodi refused ${method}: ${answer.error.message ?? 'error'} (${answer.error.code ?? '?'})`;
		throw new NodeApiError(
			context.getNode(),
			{ message, code: String(answer.error.code ?? '') },
			{
				message,
				description: detail
					? `${detail.name ?? 'parameter'}: ${detail.message ?? ''}`
					: 'Kodi names the problem in its log (kodi.log).',
			},
		);
	}
	return answer?.result as T;
}
