// Types for scripts/notices.mjs, for the tests that check its output (test/unit/packaging).
export declare function packagesInSourceMap(mapText: string): string[];
export declare function withDependencies(names: string[], dir?: string): string[];
export declare function noticesText(names: string[], dir?: string): string;
export declare function shippedPackages(dir?: string): string[];
