// Makes the wasm-bindgen glue say what a freed handle means, and its types
// bring the `Symbol.dispose` they use. A method
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
writeFileSync(file, glue.replace(thrower, (_, head) => `${head}const message = getStringFromWasm0(arg0, arg1);
            throw new Error(message === 'null pointer passed to rust' ? ${JSON.stringify(freed)} : message);`));

// The types declare `[Symbol.dispose]()` (for `using`), which TypeScript's
// default libs before ESNext lack: the declaration file asks for that lib
// itself, so a strict project needs no `lib` of its own for it.
const types = file.replace(/\.js$/, '.d.ts');
const declared = readFileSync(types, 'utf8');
if (declared.includes('[Symbol.dispose]') && !declared.includes('reference lib="esnext.disposable"')) {
  writeFileSync(types, `/// <reference lib="esnext.disposable" />\n${declared}`);
}
