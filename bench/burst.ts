/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark code */
/**
 * Import bursts for the rescan benchmarks: posting as fast as n8n takes them, and the fixed-window rule other
 * tools batch by (Cinephage: a 5-s window from the first event, at most 50 paths a request), applied to the same
 * send times.
 */

export interface Sent {
	/** Date.now() when each body was sent, in the order given. */
	sentAt: number[];
	/** Date.now() when n8n answered each body (it answers once the execution is stored). */
	answeredAt: number[];
}

/**
 * Posts every body to `url` with `inFlight` requests open at a time, each next one as soon as n8n answers one: the
 * pace is n8n's, as when Sonarr imports a season pack faster than n8n starts executions. Every answer must be 200.
 */
export async function postAsFastAsTaken(
	url: string,
	bodies: string[],
	inFlight = 8,
): Promise<Sent> {
	const sentAt: number[] = new Array<number>(bodies.length);
	const answeredAt: number[] = new Array<number>(bodies.length);
	let next = 0;
	const lane = async () => {
		while (next < bodies.length) {
			const index = next++;
			sentAt[index] = Date.now();
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: bodies[index],
			});
			await response.arrayBuffer();
			if (response.status !== 200) throw new Error(`Webhook answered ${response.status}`);
			answeredAt[index] = Date.now();
		}
	};
	await Promise.all(Array.from({ length: inFlight }, lane));
	return { sentAt, answeredAt };
}

/**
 * Requests a fixed-window batcher sends for these events: a window opens at the first event for `windowMs`; each
 * window sends its distinct targets (paths, or folders for Plex) `perRequest` at a time.
 */
export function fixedWindowRequests(
	events: Array<{ at: number; target: string }>,
	options: { windowMs: number; perRequest: number },
): number {
	let requests = 0;
	let windowEnd = -Infinity;
	let inWindow = new Set<string>();
	const close = () => (requests += Math.ceil(inWindow.size / options.perRequest));
	for (const event of [...events].sort((a, b) => a.at - b.at)) {
		if (event.at >= windowEnd) {
			close();
			windowEnd = event.at + options.windowMs;
			inWindow = new Set();
		}
		inWindow.add(event.target);
	}
	close();
	return requests;
}
