// webpack 5 finds the wasm through the glue's `new URL(…, import.meta.url)`
// and emits it as an asset: init() needs no argument.
import init from 'sabaplot';
import { drawDay } from '../app.js';

init().then(() => drawDay('webpack'));
