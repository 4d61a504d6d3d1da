// Types for scripts/make-icons.mjs, for the tests that check its output (test/unit/packaging).
export declare const LINUX_SIZES: number[];
export declare const ICO_SIZES: number[];
export declare const ICNS_CHUNKS: Array<[type: string, size: number]>;
export declare function encodeIco(images: Array<{ size: number; png: Buffer }>): Buffer;
export declare function encodeIcns(chunks: Array<{ type: string; png: Buffer }>): Buffer;
