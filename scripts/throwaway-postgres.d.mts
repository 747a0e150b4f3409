// Types for the test runner's throwaway PostgreSQL helper, so TypeScript tools (benchmarks) can use it.
export function startThrowawayPostgres(): Promise<{ url: string; socketUrl: string; stop(): void } | null>;
