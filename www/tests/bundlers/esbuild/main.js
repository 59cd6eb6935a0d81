// esbuild leaves the glue's `new URL('sabaplot_bg.wasm', import.meta.url)`
// alone, so the wasm is imported as a file (`--loader:.wasm=file` copies it
// to the output and gives its URL) and handed to init().
import init from 'sabaplot';
import wasmUrl from 'sabaplot/sabaplot_bg.wasm';
import { drawDay } from '../app.js';

init({ module_or_path: new URL(wasmUrl, import.meta.url) }).then(() => drawDay('esbuild'));
