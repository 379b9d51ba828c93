import { Coalescer, planRequests, sendPlanned } from '../../nodes/core/batching';
import { strongerChange, type FileChange } from '../../nodes/core/changes';
import { pathKey } from '../../nodes/core/paths';

/** A clock the test advances by hand: `wait` parks until `release()`. */
function manualClock() {
	const parked: Array<{ ms: number; wake: () => void }> = [];
	return {
		wait: (ms: number) => new Promise<void>((wake) => parked.push({ ms, wake })),
		parked,
		release() {
			parked.splice(0).forEach(({ wake }) => wake());
		},
	};
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
	>(clock.wait);
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
		scan: (server: string, windowMs: number, changes: Change[]) =>
			coalescer.submit(server, windowMs, changes, flush),
		coalescer,
	};
}

/** Lets every pending promise callback run. */
const settle = async () => {
	for (let round = 0; round < 5; round++) await Promise.resolve();
};

describe('Coalescer with planned requests', () => {
	it('turns 200 concurrent calls for one server into one request per window', async () => {
		const { clock, sent, scan, coalescer } = scanner(500);
		const calls = Array.from({ length: 200 }, (_, n) =>
			scan('jellyfin:cred1', 5000, [{ path: `/tv/Show/e${n}.mkv`, change: 'created' }]),
		);
		await settle();
		expect(sent).toHaveLength(0);
		expect(clock.parked.map((p) => p.ms)).toEqual([5000]);
		expect(coalescer.openKeys).toEqual(['jellyfin:cred1']);
		clock.release();
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
		clock.release();
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
		clock.release();
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
		clock.release();
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
		clock.release();
		const results = await Promise.all(calls);
		expect(sent).toHaveLength(2);
		expect(results.map((r) => r.error)).toEqual([boom, boom, boom]);
	});

	it('rejects every caller when the flush itself throws', async () => {
		const clock = manualClock();
		const coalescer = new Coalescer<number, number>(clock.wait);
		const flush = async () => {
			throw new Error('no sections');
		};
		const calls = [1, 2, 3].map((n) => coalescer.submit('k', 100, n, flush));
		await settle();
		clock.release();
		const settled = await Promise.allSettled(calls);
		expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'rejected']);
	});

	it('sends one request per call with a window of 0, without waiting', async () => {
		const { clock, sent, scan } = scanner();
		const results = await Promise.all(
			[1, 2, 3].map((n) => scan('s', 0, [{ path: `/tv/${n}.mkv`, change: 'created' }])),
		);
		expect(clock.parked).toHaveLength(0);
		expect(sent).toHaveLength(3);
		expect(results.map((r) => r.batch.items)).toEqual([1, 1, 1]);
	});

	it('opens a new window for calls that arrive while the last one is being sent', async () => {
		const clock = manualClock();
		const coalescer = new Coalescer<number, number[]>(clock.wait);
		const flushes: number[][] = [];
		let openGate: () => void = () => undefined;
		const gate = new Promise<void>((resolve) => (openGate = resolve));
		const flush = async (payloads: number[]) => {
			flushes.push(payloads);
			await gate;
			return payloads.map(() => payloads);
		};
		const first = coalescer.submit('k', 100, 1, flush);
		await settle();
		clock.release();
		await settle();
		expect(flushes).toEqual([[1]]);
		const second = coalescer.submit('k', 100, 2, flush);
		openGate();
		expect(await first).toEqual([1]);
		await settle();
		clock.release();
		expect(await second).toEqual([2]);
		expect(flushes).toEqual([[1], [2]]);
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
