import { Coalescer, planRequests, sendPlanned } from '../../nodes/core/batching';
import { strongerChange, type FileChange } from '../../nodes/core/changes';
import { pathKey } from '../../nodes/core/paths';

/**
 * A clock the test moves by hand: `wait` parks until `advance()` passes its due time; `release()` moves the clock
 * to the latest due time of everything parked (so a batch whose due time moves keeps waiting).
 */
function manualClock() {
	let now = 0;
	const parked: Array<{ ms: number; dueAt: number; wake: () => void }> = [];
	const clock = {
		now: () => now,
		wait: (ms: number) => new Promise<void>((wake) => parked.push({ ms, dueAt: now + ms, wake })),
		parked,
		async advance(ms: number) {
			now += ms;
			for (const entry of [...parked]) {
				if (entry.dueAt > now) continue;
				parked.splice(parked.indexOf(entry), 1);
				entry.wake();
			}
			await settle();
		},
		async release() {
			while (parked.length > 0) {
				await clock.advance(Math.max(...parked.map((entry) => entry.dueAt)) - now);
			}
		},
	};
	return clock;
}

interface Change {
	path: string;
	change: FileChange;
}

const mergeOptions = {
	key: (entry: Change) => pathKey(entry.path),
	merge: (kept: Change, next: Change): Change => ({
		path: kept.path,
		change: strongerChange(kept.change, next.change),
	}),
};

/** The media-server side as the nodes wire it: one coalescer, a flush that plans and sends. */
function scanner(perRequest = 50) {
	const clock = manualClock();
	const coalescer = new Coalescer<
		Change[],
		Awaited<ReturnType<typeof sendPlanned<Change>>>[number]
	>(clock);
	const sent: Change[][] = [];
	let failWith: Error | null = null;
	const flush = async (payloads: Change[][]) =>
		await sendPlanned(payloads, {
			...mergeOptions,
			perRequest,
			send: async (entries) => {
				sent.push(entries);
				if (failWith) throw failWith;
			},
		});
	return {
		clock,
		sent,
		failNextWith: (error: Error) => (failWith = error),
		scan: (server: string, quietMs: number, changes: Change[], maxWaitMs = 60_000) =>
			coalescer.submit(server, { quietMs, maxWaitMs }, changes, flush),
		coalescer,
	};
}

/** Lets every pending promise callback run. */
const settle = async () => {
	for (let round = 0; round < 5; round++) await Promise.resolve();
};

describe('Coalescer with planned requests', () => {
	it('turns 200 concurrent calls for one server into one request', async () => {
		const { clock, sent, scan, coalescer } = scanner(500);
		const calls = Array.from({ length: 200 }, (_, n) =>
			scan('jellyfin:cred1', 5000, [{ path: `/tv/Show/e${n}.mkv`, change: 'created' }]),
		);
		await settle();
		expect(sent).toHaveLength(0);
		expect(clock.parked.map((p) => p.ms)).toEqual([5000]);
		expect(coalescer.openKeys).toEqual(['jellyfin:cred1']);
		await clock.release();
		const results = await Promise.all(calls);
		expect(sent).toHaveLength(1);
		expect(sent[0]).toHaveLength(200);
		expect(results.every((r) => r.requests === 1 && r.error === null)).toBe(true);
		expect(results[0].batch).toEqual({ items: 200, requests: 1, entries: 200 });
		expect(coalescer.openKeys).toEqual([]);
	});

	it('keeps servers apart: one request per server', async () => {
		const { clock, sent, scan } = scanner();
		const calls = [
			scan('jellyfin:a', 5000, [{ path: '/tv/a.mkv', change: 'created' }]),
			scan('emby:b', 5000, [{ path: '/tv/a.mkv', change: 'created' }]),
			scan('jellyfin:a', 5000, [{ path: '/tv/b.mkv', change: 'created' }]),
		];
		await settle();
		expect(clock.parked).toHaveLength(2);
		await clock.release();
		await Promise.all(calls);
		expect(sent.map((entries) => entries.map((e) => e.path))).toEqual([
			['/tv/a.mkv', '/tv/b.mkv'],
			['/tv/a.mkv'],
		]);
	});

	it('cuts 120 paths into 3 requests of at most 50', async () => {
		const { clock, sent, scan } = scanner(50);
		const calls = Array.from({ length: 120 }, (_, n) =>
			scan('plex', 5000, [{ path: `/tv/e${n}.mkv`, change: 'created' }]),
		);
		await settle();
		await clock.release();
		const results = await Promise.all(calls);
		expect(sent.map((entries) => entries.length)).toEqual([50, 50, 20]);
		expect(results[0].batch).toEqual({ items: 120, requests: 3, entries: 120 });
		expect(results.every((r) => r.requests === 1)).toBe(true);
	});

	it('merges one path reported many times: deleted > modified > created', async () => {
		const { clock, sent, scan } = scanner();
		const calls = [
			scan('s', 10, [{ path: '/tv/x.mkv', change: 'created' }]),
			scan('s', 10, [{ path: '/tv/x.mkv/', change: 'deleted' }]),
			scan('s', 10, [{ path: '/tv//x.mkv', change: 'modified' }]),
			scan('s', 10, [
				{ path: '/tv/y.mkv', change: 'modified' },
				{ path: '/tv/y.mkv', change: 'created' },
			]),
		];
		await settle();
		await clock.release();
		const results = await Promise.all(calls);
		expect(sent).toEqual([
			[
				{ path: '/tv/x.mkv', change: 'deleted' },
				{ path: '/tv/y.mkv', change: 'modified' },
			],
		]);
		expect(results[0].batch).toEqual({ items: 4, requests: 1, entries: 2 });
	});

	it('fails every caller of a failed request, and only them', async () => {
		const { clock, sent, scan, failNextWith } = scanner(2);
		const calls = [
			scan('s', 10, [{ path: '/a', change: 'created' }]),
			scan('s', 10, [{ path: '/b', change: 'created' }]),
			scan('s', 10, [{ path: '/c', change: 'created' }]),
		];
		await settle();
		const boom = new Error('Jellyfin answered 500');
		failNextWith(boom);
		await clock.release();
		const results = await Promise.all(calls);
		expect(sent).toHaveLength(2);
		expect(results.map((r) => r.error)).toEqual([boom, boom, boom]);
	});

	it('rejects every caller when the flush itself throws', async () => {
		const clock = manualClock();
		const coalescer = new Coalescer<number, number>(clock);
		const flush = async () => {
			throw new Error('no sections');
		};
		const calls = [1, 2, 3].map((n) =>
			coalescer.submit('k', { quietMs: 100, maxWaitMs: 1000 }, n, flush),
		);
		await settle();
		await clock.release();
		const settled = await Promise.allSettled(calls);
		expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
	});

	it('sends one request per call with a quiet period of 0, without waiting', async () => {
		const { clock, sent, scan } = scanner();
		const results = await Promise.all(
			[1, 2, 3].map((n) => scan('s', 0, [{ path: `/tv/${n}.mkv`, change: 'created' }])),
		);
		expect(clock.parked).toHaveLength(0);
		expect(sent).toHaveLength(3);
		expect(results.map((r) => r.batch.items)).toEqual([1, 1, 1]);
	});

	it('opens a new batch for calls that arrive while the last one is being sent', async () => {
		const clock = manualClock();
		const coalescer = new Coalescer<number, number[]>(clock);
		const flushes: number[][] = [];
		let openGate: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (openGate = resolve));
		const flush = async (payloads: number[]) => {
			flushes.push(payloads);
			await gate;
			return payloads.map(() => payloads);
		};
		const first = coalescer.submit('k', { quietMs: 100, maxWaitMs: 1000 }, 1, flush);
		await settle();
		await clock.release();
		await settle();
		expect(flushes).toEqual([[1]]);
		const second = coalescer.submit('k', { quietMs: 100, maxWaitMs: 1000 }, 2, flush);
		openGate();
		expect(await first).toEqual([1]);
		await settle();
		await clock.release();
		expect(await second).toEqual([2]);
		expect(flushes).toEqual([[1], [2]]);
	});
});

describe('Coalescer timing: a batch follows the burst', () => {
	const change = (n: number): Change[] => [{ path: `/tv/Show/e${n}.mkv`, change: 'created' }];

	it('keeps one batch while calls come closer than the quiet period, however long the burst lasts', async () => {
		const { clock, sent, scan } = scanner(500);
		const calls: Array<Promise<unknown>> = [];
		// 40 calls 4 s apart: 156 s of burst, never 5 s quiet, with Max Wait out of the way.
		for (let n = 0; n < 40; n++) {
			calls.push(scan('jellyfin', 5000, change(n), 600_000));
			await clock.advance(4000);
		}
		expect(sent).toHaveLength(0);
		await clock.advance(999);
		expect(sent).toHaveLength(0);
		await clock.advance(1);
		await Promise.all(calls);
		expect(sent.map((entries) => entries.length)).toEqual([40]);
	});

	it('sends the batch the quiet period after the last call, and opens a new one after a longer gap', async () => {
		const { clock, sent, scan } = scanner(500);
		const first = [scan('emby', 5000, change(1)), scan('emby', 5000, change(2))];
		await settle();
		await clock.advance(3000);
		first.push(scan('emby', 5000, change(3)));
		await settle();
		await clock.advance(4999);
		expect(sent).toHaveLength(0);
		await clock.advance(1);
		await Promise.all(first);
		expect(sent.map((entries) => entries.length)).toEqual([3]);
		await clock.advance(20_000);
		const second = scan('emby', 5000, change(4));
		await settle();
		await clock.release();
		await second;
		expect(sent.map((entries) => entries.length)).toEqual([3, 1]);
	});

	it('sends by Max Wait after the first call while the burst goes on, then starts the next batch', async () => {
		const { clock, sent, scan } = scanner(500);
		const calls: Array<Promise<unknown>> = [];
		// A call every second for 90 s: quiet never comes, Max Wait (60 s) cuts the burst.
		for (let n = 0; n < 90; n++) {
			calls.push(scan('plex', 5000, change(n), 60_000));
			await clock.advance(1000);
		}
		expect(sent.map((entries) => entries.length)).toEqual([60]);
		await clock.release();
		await Promise.all(calls);
		expect(sent.map((entries) => entries.length)).toEqual([60, 30]);
	});

	it('is a fixed window of Max Wait from the first call when the quiet period is as long or longer', async () => {
		const { clock, sent, scan } = scanner(500);
		const calls = [scan('kodi', 5000, change(1), 5000)];
		await settle();
		await clock.advance(4000);
		calls.push(scan('kodi', 5000, change(2), 5000));
		await settle();
		await clock.advance(1000);
		await Promise.all(calls);
		expect(sent.map((entries) => entries.length)).toEqual([2]);
	});

	it('sends at once when Max Wait is 0', async () => {
		const { clock, sent, scan } = scanner();
		await Promise.all([scan('s', 5000, change(1), 0), scan('s', 5000, change(2), 0)]);
		expect(clock.parked).toHaveLength(0);
		expect(sent).toHaveLength(2);
	});

	it('waits once per quiet period at most, not once per call', async () => {
		const { clock, scan } = scanner(500);
		const waits: number[] = [];
		const wait = clock.wait;
		clock.wait = (ms: number) => {
			waits.push(ms);
			return wait(ms);
		};
		const calls = Array.from({ length: 200 }, (_, n) => scan('jellyfin', 5000, change(n)));
		await settle();
		await clock.advance(2000);
		calls.push(scan('jellyfin', 5000, change(200)));
		await clock.release();
		await Promise.all(calls);
		expect(waits).toEqual([5000, 2000]);
	});
});

describe('planRequests', () => {
	it('names for each request the submissions it serves', () => {
		const planned = planRequests(
			[
				[{ path: '/a', change: 'created' as FileChange }],
				[
					{ path: '/b', change: 'created' as FileChange },
					{ path: '/a', change: 'deleted' as FileChange },
				],
				[{ path: '/c', change: 'created' as FileChange }],
			],
			{ ...mergeOptions, perRequest: 2 },
		);
		expect(planned).toEqual([
			{
				entries: [
					{ path: '/a', change: 'deleted' },
					{ path: '/b', change: 'created' },
				],
				submitters: [0, 1],
			},
			{ entries: [{ path: '/c', change: 'created' }], submitters: [2] },
		]);
	});
});
