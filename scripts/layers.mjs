// The structure `make lint` keeps: only src/web/ speaks to the browser,
// the core's top-level modules import one another without a circle, and
// a file under src/ over 400 lines says why it is one idea.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const src = new URL('../src/', import.meta.url).pathname;
const files = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? files(path) : name.endsWith('.rs') ? [path] : [];
});
const problems = [];
const imports = new Map();
for (const path of files(src)) {
  const file = relative(src, path);
  const text = readFileSync(path, 'utf8');
  const module = file.split('/')[0].replace(/\.rs$/, '');
  if (module !== 'web') {
    for (const [i, line] of text.split('\n').entries()) {
      if (/crate::web|wasm_bindgen|web_sys|js_sys/.test(line)) {
        problems.push(`src/${file}:${i + 1}: only src/web/ may name the browser binding: ${line.trim()}`);
      }
    }
  }
  const lines = text.split('\n').length - 1;
  if (lines > 400 && !/^\/\/! One idea/m.test(text)) {
    problems.push(`src/${file} has ${lines} lines: split it, or say in a "//! One idea …" line why it is one`);
  }
  // What the module's code (not its tests) imports from its siblings.
  if (['web', 'lib', 'testing'].includes(module) || file.endsWith('tests.rs')) continue;
  const code = text.split('#[cfg(test)]')[0];
  const uses = imports.get(module) ?? new Set();
  for (const [, other] of code.matchAll(/crate::(\w+)/g)) if (other !== module) uses.add(other);
  imports.set(module, uses);
}
// A circle: a module that reaches itself through its imports.
for (const start of imports.keys()) {
  const path = [start];
  const seen = new Set();
  const walk = (module) => {
    for (const next of imports.get(module) ?? []) {
      if (next === start) return [...path, next];
      if (seen.has(next)) continue;
      seen.add(next);
      path.push(next);
      const found = walk(next);
      if (found) return found;
      path.pop();
    }
    return null;
  };
  const circle = walk(start);
  if (circle) problems.push(`import circle: ${circle.join(' → ')}`);
}
if (problems.length) {
  console.error(problems.map((p) => `lint: ${p}`).join('\n'));
  process.exit(1);
}
console.log(`lint: ${files(src).length} files: layers point one way, no import circle, long files say why`);
