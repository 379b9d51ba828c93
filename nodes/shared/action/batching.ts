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
	type BatchTiming,
	type SubmissionOutcome,
} from '../../core/batching';
import { optionsProperty } from './properties';
import type { ServerApi } from './request';

/**
 * Coalescers live in the module, so every node of this package in one n8n process shares them: items of one
 * execution and of concurrent executions join the same batch. In queue mode each worker has its own.
 */
export function processCoalescer<P, R>(): Coalescer<P, R> {
	return new Coalescer<P, R>({ now: Date.now, wait: sleep });
}

/** One batch per server credential and kind of request. */
export function batchKey(context: IExecuteFunctions, api: ServerApi, kind: string): string {
	const credential = context.getNode().credentials?.[api.credentialType];
	return `${api.credentialType}:${credential?.id ?? credential?.name ?? ''}:${kind}`;
}

export interface BatchOptions {
	/** Seconds without a new call after which the batch is sent; 0 sends at once. */
	quietPeriod?: number;
	/** Seconds after the batch's first call by which it is sent, however long the burst goes on. */
	maxWait?: number;
	maxPathsPerRequest?: number;
}

export const DEFAULT_QUIET_PERIOD_S = 5;
export const DEFAULT_MAX_WAIT_S = 60;
export const DEFAULT_MAX_PATHS = 500;

function secondsToMs(seconds: number | undefined, fallback: number): number {
	const value = seconds ?? fallback;
	return Number.isFinite(value) && value > 0 ? Math.round(value * 1000) : 0;
}

export function batchTiming(options: BatchOptions): BatchTiming {
	return {
		quietMs: secondsToMs(options.quietPeriod, DEFAULT_QUIET_PERIOD_S),
		maxWaitMs: secondsToMs(options.maxWait, DEFAULT_MAX_WAIT_S),
	};
}

/**
 * What an output item says about the batch it was sent in; `waitedMs` is how long the item spent from joining
 * the batch to the server's answer.
 */
export function batchOutput(
	batch: BatchSummary,
	timing: BatchTiming,
	joinedAt: number,
): IDataObject {
	return {
		items: batch.items,
		requests: batch.requests,
		entries: batch.entries,
		quietPeriodMs: timing.quietMs,
		maxWaitMs: timing.maxWaitMs,
		waitedMs: Date.now() - joinedAt,
	};
}

const timingOptions: INodeProperties[] = [
	{
		displayName: 'Quiet Period (Seconds)',
		name: 'quietPeriod',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: DEFAULT_QUIET_PERIOD_S,
		description:
			'Calls for the same server, from any item or execution, are collected and sent together once none has come for this long, so a burst of imports becomes one batch. 0 sends each call at once.',
	},
	{
		displayName: 'Max Wait (Seconds)',
		name: 'maxWait',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: DEFAULT_MAX_WAIT_S,
		description:
			'A batch is sent at the latest this long after its first call, even while calls keep coming. Set Quiet Period to the same value or more for a fixed window from the first call.',
	},
];

/** The Options collection of the refresh operations. */
export const refreshOptionsProperty = optionsProperty(timingOptions);

const maxPathsOption: INodeProperties = {
	displayName: 'Max Paths per Request',
	name: 'maxPathsPerRequest',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: DEFAULT_MAX_PATHS,
	description: 'A batch with more paths is sent as several requests',
};

/** The Options collection of Scan Paths. */
export const scanOptionsProperty = optionsProperty([...timingOptions, maxPathsOption]);

const coalescer = processCoalescer<unknown[], SubmissionOutcome>();

export interface CoalescedCall<T> {
	/** What is sent, e.g. `scanPaths`: calls of one kind to one server share a batch. */
	kind: string;
	timing: BatchTiming;
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
		call.timing,
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
