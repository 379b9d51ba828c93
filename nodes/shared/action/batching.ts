import {
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';
import {
	Coalescer,
	sendPlanned,
	type BatchSummary,
	type SubmissionOutcome,
} from '../../core/batching';
import { optionsProperty } from './properties';
import type { ServerApi } from './request';

/**
 * Coalescers live in the module, so every node of this package in one n8n process shares them: items of one
 * execution and of concurrent executions join the same window. In queue mode each worker has its own.
 */
export function processCoalescer<P, R>(): Coalescer<P, R> {
	return new Coalescer<P, R>(sleep);
}

/** One batch per server credential and kind of request. */
export function batchKey(context: IExecuteFunctions, api: ServerApi, kind: string): string {
	const credential = context.getNode().credentials?.[api.credentialType];
	return `${api.credentialType}:${credential?.id ?? credential?.name ?? ''}:${kind}`;
}

export interface BatchOptions {
	/** Seconds to collect calls before sending; 0 sends at once. */
	batchWindow?: number;
	maxPathsPerRequest?: number;
}

export const DEFAULT_BATCH_WINDOW_S = 5;
export const DEFAULT_MAX_PATHS = 50;

export function batchWindowMs(options: BatchOptions): number {
	const seconds = options.batchWindow ?? DEFAULT_BATCH_WINDOW_S;
	return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : 0;
}

/**
 * What an output item says about the batch it was sent in; `waitedMs` is how long the item spent from joining
 * the batch to the server's answer.
 */
export function batchOutput(batch: BatchSummary, windowMs: number, joinedAt: number): IDataObject {
	return {
		items: batch.items,
		requests: batch.requests,
		entries: batch.entries,
		windowMs,
		waitedMs: Date.now() - joinedAt,
	};
}

const batchWindowOption: INodeProperties = {
	displayName: 'Batch Window (Seconds)',
	name: 'batchWindow',
	type: 'number',
	typeOptions: { minValue: 0, numberPrecision: 1 },
	default: DEFAULT_BATCH_WINDOW_S,
	description:
		'Calls for the same server within this time, from any item or execution, are sent together once it ends. 0 sends each call at once.',
};

/** The Options collection of the refresh operations. */
export const refreshOptionsProperty = optionsProperty([batchWindowOption]);

const maxPathsOption: INodeProperties = {
	displayName: 'Max Paths per Request',
	name: 'maxPathsPerRequest',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_MAX_PATHS,
	description: 'A batch with more paths is sent as several requests',
};

/** The Options collection of Scan Paths. */
export const scanOptionsProperty = optionsProperty([batchWindowOption, maxPathsOption]);

const coalescer = processCoalescer<unknown[], SubmissionOutcome>();

export interface CoalescedCall<T> {
	/** What is sent, e.g. `scanPaths`: calls of one kind to one server share a batch. */
	kind: string;
	windowMs: number;
	/** This item's entries: paths, library ids, … */
	entries: T[];
	key: (entry: T) => string;
	merge: (kept: T, next: T) => T;
	perRequest: number;
	send: (entries: T[]) => Promise<void>;
}

/**
 * Joins the batch for this server and kind; resolves when the batch has been sent with what happened to this
 * item's entries. The batch is sent with the first caller's `send` (same server, same credential).
 */
export async function sendCoalesced<T>(
	context: IExecuteFunctions,
	api: ServerApi,
	call: CoalescedCall<T>,
): Promise<SubmissionOutcome> {
	const flush = async (payloads: unknown[][]) =>
		await sendPlanned(payloads as T[][], {
			key: call.key,
			merge: call.merge,
			perRequest: call.perRequest,
			send: call.send,
		});
	return await coalescer.submit(
		batchKey(context, api, call.kind),
		call.windowMs,
		call.entries,
		flush,
	);
}

/** For batches of ids and markers: one entry per distinct value. */
export const distinctValues = {
	key: (entry: string) => entry,
	merge: (kept: string) => kept,
};

/** Throws the error of a failed batch request for this item. */
export function throwIfFailed(outcome: SubmissionOutcome): void {
	if (outcome.error !== null) throw outcome.error;
}
