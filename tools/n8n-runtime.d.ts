// Types for tools/n8n-runtime.js, so the TypeScript e2e tests can use it.
export interface Provisioned {
	dir: string;
	node: string;
	n8n: string;
}
export interface StartedN8n {
	baseUrl: string;
	pid: number;
	log(): string;
	stop(): Promise<void>;
}
export const repoRoot: string;
export const packageName: string;
export function provision(): Provisioned;
export function packPackage(destination: string): string;
export function installPackage(tarball: string, userFolder: string): string;
export function freePort(): Promise<number>;
export function n8nEnv(options: {
	userFolder: string;
	port: number;
	brokerPort: number;
	extra?: Record<string, string>;
}): Record<string, string>;
export function runCli(runtime: Provisioned, env: Record<string, string>, args: string[]): string;
export function importAndPublish(
	runtime: Provisioned,
	env: Record<string, string>,
	setup: { workflows: object[]; credentials?: object[] },
): void;
export function startN8n(
	runtime: Provisioned,
	env: Record<string, string>,
	options?: { timeoutMs?: number; stdio?: 'pipe' | 'inherit' },
): Promise<StartedN8n>;
export function waitForWebhooks(baseUrl: string, webhookPaths: string[], timeoutMs?: number): Promise<void>;
