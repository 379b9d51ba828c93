/**
 * Burst coalescing: many callers within a time window become few requests. Pure code with no n8n imports and no
 * timers of its own — the caller passes the wait function (n8n's `sleep` in the nodes, a fake clock in tests).
 */

export type Wait = (ms: number) => Promise<void>;

interface OpenBatch<P, R> {
	payloads: P[];
	waiters: Array<{ resolve: (result: R) => void; reject: (error: unknown) => void }>;
}

/**
 * Collects payloads per key for `windowMs` from the first one, then hands them all to one `flush` call. Every
 * caller gets its own result (`flush` returns one per payload, in order); if `flush` throws, every caller of
 * that batch gets the error. A window of 0 or less flushes each payload on its own, at once.
 */
export class Coalescer<P, R> {
	private readonly open = new Map<string, OpenBatch<P, R>>();

	constructor(private readonly wait: Wait) {}

	async submit(
		key: string,
		windowMs: number,
		payload: P,
		flush: (payloads: P[]) => Promise<R[]>,
	): Promise<R> {
		if (windowMs <= 0) return (await flush([payload]))[0];
		let batch = this.open.get(key);
		if (!batch) {
			batch = { payloads: [], waiters: [] };
			this.open.set(key, batch);
			void this.closeLater(key, batch, windowMs, flush);
		}
		const joined = batch;
		return await new Promise<R>((resolve, reject) => {
			joined.payloads.push(payload);
			joined.waiters.push({ resolve, reject });
		});
	}

	/** Keys with a batch still collecting. */
	get openKeys(): string[] {
		return [...this.open.keys()];
	}

	private async closeLater(
		key: string,
		batch: OpenBatch<P, R>,
		windowMs: number,
		flush: (payloads: P[]) => Promise<R[]>,
	): Promise<void> {
		await this.wait(windowMs);
		this.open.delete(key);
		try {
			const results = await flush(batch.payloads);
			batch.waiters.forEach((waiter, index) => waiter.resolve(results[index]));
		} catch (error) {
			batch.waiters.forEach((waiter) => waiter.reject(error));
		}
	}
}

export interface PlannedRequest<T> {
	entries: T[];
	/** Indexes of the submissions with at least one entry in this request. */
	submitters: number[];
}

/**
 * Merges the entries of every submission by key (first appearance keeps its place, `merge` folds duplicates),
 * then cuts them into requests of at most `perRequest` entries, each naming the submissions it serves.
 */
export function planRequests<T>(
	submissions: T[][],
	options: { key: (entry: T) => string; merge: (kept: T, next: T) => T; perRequest: number },
): Array<PlannedRequest<T>> {
	const merged = new Map<string, { entry: T; submitters: Set<number> }>();
	submissions.forEach((entries, submitter) => {
		for (const entry of entries) {
			const key = options.key(entry);
			const seen = merged.get(key);
			if (seen) {
				seen.entry = options.merge(seen.entry, entry);
				seen.submitters.add(submitter);
			} else {
				merged.set(key, { entry, submitters: new Set([submitter]) });
			}
		}
	});
	const all = [...merged.values()];
	const size = Math.max(1, Math.floor(options.perRequest));
	const requests: Array<PlannedRequest<T>> = [];
	for (let start = 0; start < all.length; start += size) {
		const slice = all.slice(start, start + size);
		const submitters = new Set<number>();
		slice.forEach((item) => item.submitters.forEach((index) => submitters.add(index)));
		requests.push({
			entries: slice.map((item) => item.entry),
			submitters: [...submitters].sort((a, b) => a - b),
		});
	}
	return requests;
}

export interface BatchSummary {
	/** Submissions (items) served by this flush. */
	items: number;
	/** Requests sent for the whole flush. */
	requests: number;
	/** Distinct entries (paths, folders) after merging. */
	entries: number;
}

export interface SubmissionOutcome {
	batch: BatchSummary;
	/** The requests that carried at least one entry of this submission. */
	requests: number;
	/** The first error of a request that carried one of this submission's entries, else null. */
	error: unknown;
}

/**
 * Plans the requests for one flush and sends them one after another (a media server scans one batch at a
 * time anyway). A failed request fails exactly the submissions it carried; the others still go out.
 */
export async function sendPlanned<T>(
	submissions: T[][],
	options: {
		key: (entry: T) => string;
		merge: (kept: T, next: T) => T;
		perRequest: number;
		send: (entries: T[]) => Promise<void>;
	},
): Promise<SubmissionOutcome[]> {
	const planned = planRequests(submissions, options);
	const batch: BatchSummary = {
		items: submissions.length,
		requests: planned.length,
		entries: planned.reduce((sum, request) => sum + request.entries.length, 0),
	};
	const outcomes: SubmissionOutcome[] = submissions.map(() => ({
		batch,
		requests: 0,
		error: null,
	}));
	for (const request of planned) {
		let error: unknown = null;
		try {
			await options.send(request.entries);
		} catch (caught) {
			error = caught;
		}
		for (const index of request.submitters) {
			outcomes[index].requests += 1;
			if (error !== null && outcomes[index].error === null) outcomes[index].error = error;
		}
	}
	return outcomes;
}

/** Runs at most `limit` of the given tasks at a time, so a batch of 500 items does not hit a server 500 at once. */
export function concurrencyLimit(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
	let running = 0;
	const queue: Array<() => void> = [];
	const next = () => {
		running -= 1;
		queue.shift()?.();
	};
	return async <T>(task: () => Promise<T>): Promise<T> => {
		if (running >= limit) await new Promise<void>((resolve) => queue.push(resolve));
		running += 1;
		try {
			return await task();
		} finally {
			next();
		}
	};
}
