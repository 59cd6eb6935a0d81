/**
 * The package's WebAssembly module, imported as a file: bundlers that give a
 * file's URL for such an import (esbuild's `file` loader, Vite's `?url`)
 * make this the URL to pass to `init({ module_or_path })`. See "Bundlers"
 * in the README.
 */
declare const url: string;
export default url;
