// Generated at build time into dist/wasm-bytes.js by scripts/embed-wasm.mjs.
/** The wasm module, base64. */
declare const wasmBase64: string;
export default wasmBase64;
