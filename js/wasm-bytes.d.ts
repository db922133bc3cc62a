// Generated at build time into dist/wasm-bytes.js by scripts/embed-wasm.mjs.
/** The wasm module, base64. */
declare const wasmBase64: string;
export default wasmBase64;
/** The zone pack (every zone but the built-in ones), base64. */
export declare const zonesBase64: string;
