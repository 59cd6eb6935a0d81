// `make test-types`: the README's TypeScript examples, compiled by tsc as a
// new user's project would: against the packed tarball (extracted into a
// node_modules of its own), `strict`, `skipLibCheck: false`, once with
// TypeScript's default libs and once with the options of Vite's vanilla-ts
// template. What an example leaves to the reader (an element, a window, a
// function that shows an error) is declared in a prelude.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [tarball] = process.argv.slice(2);
const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'target/readme-examples');
rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'node_modules/sabaplot'), { recursive: true });
execFileSync('tar', ['xzf', tarball, '-C', join(out, 'node_modules/sabaplot'), '--strip-components=1']);

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
if (examples.length < 3) throw new Error(`README.md: ${examples.length} \`\`\`ts examples, expected at least 3`);
const files = examples.map((code, k) => {
  const name = `example-${k + 1}.ts`;
  // Each example is a module of its own (they import what they use).
  writeFileSync(join(out, name), /^\s*import /m.test(code) ? code : `${code}\nexport {};\n`);
  return name;
});
writeFileSync(join(out, 'reader.d.ts'), `// What the README's examples leave to the reader.
declare const el: HTMLElement;
declare const chart: import('sabaplot').Chart;
declare const from: number, to: number, visibleFrom: number, visibleTo: number;
declare function showError(message: string): void;
`);
const strict = { strict: true, skipLibCheck: false, noEmit: true, moduleResolution: 'bundler' };
const configs = {
  // TypeScript's default libs for the target.
  'tsconfig.default.json': { ...strict, target: 'ES2022', module: 'ES2022' },
  // Vite's vanilla-ts template, with the libraries' types checked too.
  'tsconfig.vite.json': { ...strict, target: 'ES2022', module: 'ESNext', lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    useDefineForClassFields: true, verbatimModuleSyntax: true, moduleDetection: 'force',
    noUnusedLocals: true, noUnusedParameters: true, erasableSyntaxOnly: true,
    noFallthroughCasesInSwitch: true, noUncheckedSideEffectImports: true },
};
for (const [name, compilerOptions] of Object.entries(configs)) {
  writeFileSync(join(out, name), JSON.stringify({ compilerOptions, files: ['reader.d.ts', ...files] }, null, 2));
  execFileSync('tsc', ['-p', join(out, name)], { stdio: 'inherit' });
}
console.log(`tsc: the README's ${files.length} TypeScript examples compile (strict, skipLibCheck: false; default libs and Vite's)`);
