/**
 * Burst coalescing: many callers close together become few requests. Pure code with no n8n imports and no
 * timers of its own — the caller passes the clock (n8n's `sleep` and `Date.now` in the nodes, a manual clock in
 * tests).
 */

export interface Clock {
	now: () => number;
	wait: (ms: number) => Promise<void>;
}

/**
 * When a batch closes: once no caller has joined it for `quietMs`, or `maxWaitMs` after its first caller,
 * whichever comes first. So a burst becomes one batch however long it lasts, and no caller waits longer than
 * `maxWaitMs` for its batch to be sent. `quietMs >= maxWaitMs` gives a fixed window of `maxWaitMs`; either at 0
 * or less sends each call on its own, at once.
 */
export interface BatchTiming {
	quietMs: number;
	maxWaitMs: number;
}

interface OpenBatch<P, R> {
	payloads: P[];
	waiters: Array<{ resolve: (result: R) => void; reject: (error: unknown) => void }>;
	openedAt: number;
	lastJoinedAt: number;
}

/**
 * Collects payloads per key until the batch's timing closes it (the first caller's timing), then hands them all
 * to one `flush` call. Every caller gets its own result (`flush` returns one per payload, in order); if `flush`
 * throws, every caller of that batch gets the error. Callers that arrive while a batch is being sent open the
 * next one.
 */
export class Coalescer<P, R> {
	private readonly open = new Map<string, OpenBatch<P, R>>();

	constructor(private readonly clock: Clock) {}

	async submit(
		key: string,
		timing: BatchTiming,
		payload: P,
		flush: (payloads: P[]) => Promise<R[]>,
	): Promise<R> {
		if (timing.quietMs <= 0 || timing.maxWaitMs <= 0) return (await flush([payload]))[0];
		const now = this.clock.now();
		let batch = this.open.get(key);
		if (!batch) {
			batch = { payloads: [], waiters: [], openedAt: now, lastJoinedAt: now };
			this.open.set(key, batch);
			void this.closeWhenDue(key, batch, timing, flush);
		}
		batch.lastJoinedAt = now;
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

	private async closeWhenDue(
		key: string,
		batch: OpenBatch<P, R>,
		timing: BatchTiming,
		flush: (payloads: P[]) => Promise<R[]>,
	): Promise<void> {
		// One wait per quiet period at most: each wake-up recomputes the due time from the latest join.
		for (;;) {
			const dueAt = Math.min(
				batch.lastJoinedAt + timing.quietMs,
				batch.openedAt + timing.maxWaitMs,
			);
			const left = dueAt - this.clock.now();
			if (left <= 0) break;
			await this.clock.wait(left);
		}
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
