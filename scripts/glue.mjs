// Makes the wasm-bindgen glue say what a freed handle means, keep a chart
// shown while its element is, and its types bring the `Symbol.dispose` they
// use. A method
// called after free() (or after a `using` block ended) reaches Rust with a
// null pointer, and the generated code throws "null pointer passed to
// rust"; the package says instead what happened and what to do. Fails the
// build when the glue no longer has the expected throw, so a wasm-bindgen
// upgrade cannot drop the message unnoticed.
import { readFileSync, writeFileSync } from 'node:fs';

const file = process.argv[2];
const glue = readFileSync(file, 'utf8');
const thrower = /(__wbg___wbindgen_throw_\w+: function\(arg0, arg1\) \{\n\s*)throw new Error\(getStringFromWasm0\(arg0, arg1\)\);/;
if (!thrower.test(glue)) {
  console.error(`${file}: no __wbindgen_throw in the expected shape; update scripts/glue.mjs`);
  process.exit(1);
}
const freed = 'this sabaplot object was freed (free() or the end of a `using` block) '
  + 'and cannot be used again; create a new one';
let patched = glue.replace(thrower, (_, head) => `${head}const message = getStringFromWasm0(arg0, arg1);
            throw new Error(message === 'null pointer passed to rust' ? ${JSON.stringify(freed)} : message);`);

// A chart on the page lives as long as its element: the element holds the
// chart's handle, so the garbage collector frees the chart (which takes it
// off the page) only once the element is gone too, never while it is shown
// because the page kept no variable for it. free() lets go.
const registered = 'ChartFinalization.register(this, this.__wbg_ptr, this);';
const unregistered = 'ChartFinalization.unregister(this);';
for (const anchor of [registered, unregistered]) {
  if (patched.split(anchor).length !== 2) {
    console.error(`${file}: "${anchor}" is not there once; update scripts/glue.mjs`);
    process.exit(1);
  }
}
patched = patched
  .replace(registered, `${registered}\n        holdOn(element, this);`)
  .replace(unregistered, `${unregistered}\n        letGo(this);`)
  + `
const HANDLE = Symbol('sabaplot chart');
function holdOn(element, chart) {
    if (element === null || typeof element !== 'object') return;
    Object.defineProperty(element, HANDLE, { value: chart, configurable: true });
    Object.defineProperty(chart, HANDLE, { value: element, configurable: true });
}
function letGo(chart) {
    const element = chart[HANDLE];
    if (element !== undefined && element[HANDLE] === chart) delete element[HANDLE];
    delete chart[HANDLE];
}
`;
writeFileSync(file, patched);

// The types declare `[Symbol.dispose]()` (for `using`), which TypeScript's
// default libs before ESNext lack: the declaration file asks for that lib
// itself, so a strict project needs no `lib` of its own for it.
const types = file.replace(/\.js$/, '.d.ts');
const declared = readFileSync(types, 'utf8');
if (declared.includes('[Symbol.dispose]') && !declared.includes('reference lib="esnext.disposable"')) {
  writeFileSync(types, `/// <reference lib="esnext.disposable" />\n${declared}`);
}
