# sabaplot: `make demo` builds everything and serves the demo; `make test`
# builds and runs every test. Both install what is missing first.
SHELL := /bin/bash
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)

WASM_TARGET := wasm32-unknown-unknown
WASM_OUT := target/$(WASM_TARGET)/release/sabaplot.wasm
SERVER := target/release/sabaplot-server
VERSION := $(shell awk -F'"' '/^version = / { print $$2; exit }' Cargo.toml)
REPOSITORY := $(shell awk -F'"' '/^repository = / { print $$2; exit }' Cargo.toml)
PORT ?= 8080
# Features the Rust wasm32 target emits by default, and 128-bit SIMD (the
# summary build); wasm-opt must accept them.
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	--enable-mutable-globals --enable-reference-types --enable-multivalue --enable-simd

.PHONY: demo test setup setup-browser pkg pack server lint test-native test-fuzz fuzz test-wasm test-node test-bundlers test-e2e test-prometheus test-types bench bench-load bench-profile bench-engine bench-wasm bench-tsdownsample clean

demo: setup pkg server
	@echo "Serving the demo (one chart at /, the dashboard at /dashboard.html); press Ctrl-C to stop."
	PORT=$(PORT) $(SERVER)

test: setup-browser lint test-native test-fuzz test-wasm pkg server test-node test-types test-bundlers test-e2e test-prometheus
	@echo "make test: all suites passed"

setup:
	@scripts/setup.sh

setup-browser:
	@scripts/setup.sh browser

# The npm package: wasm-bindgen glue, optimised wasm, types, package.json.
pkg: setup
	cargo build --lib --release --target $(WASM_TARGET)
	rm -rf pkg
	wasm-bindgen --target web --out-dir pkg --out-name sabaplot $(WASM_OUT)
	node scripts/glue.mjs pkg/sabaplot.js
	wasm-opt -O3 $(WASM_FEATURES) pkg/sabaplot_bg.wasm -o pkg/sabaplot_bg.wasm
	sed -e 's/@VERSION@/$(VERSION)/' -e 's|@REPOSITORY@|$(REPOSITORY)|g' npm/package.json > pkg/package.json
	cp npm/loader.js npm/loader.d.ts npm/element.js npm/element.d.ts npm/sabaplot_bg.wasm.url.d.ts pkg/
	cp README.md LICENSE-MIT LICENSE-APACHE pkg/
	@echo "pkg: sabaplot_bg.wasm $$(stat -c %s pkg/sabaplot_bg.wasm) bytes, $$(gzip -9c pkg/sabaplot_bg.wasm | wc -c) gzipped"

server:
	cargo build --release -p sabaplot-server -p sabaplot-render

lint:
	cargo fmt --all --check
	node scripts/layers.mjs
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p sabaplot --lib --tests --target $(WASM_TARGET) -- -D warnings

test-native:
	cargo test --workspace

# The fuzz targets (tests/fuzz.rs), briefly: a fixed seed and the corpus in
# tests/fuzz/corpus, about 0.5 M inputs. `make fuzz` runs 20 times as many.
test-fuzz:
	cargo test --profile fuzz --test fuzz -- --nocapture

fuzz:
	SABAPLOT_FUZZ_SCALE=$${SABAPLOT_FUZZ_SCALE:-20} cargo test --profile fuzz --test fuzz -- --nocapture

# wasm-bindgen-test in headless Chromium (runner set in .cargo/config.toml).
test-wasm: setup-browser
	CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_WEBDRIVER_JSON=$(CURDIR)/tests/webdriver.json \
	WASM_BINDGEN_TEST_TIMEOUT=120 \
	cargo test -p sabaplot --target $(WASM_TARGET) --test browser

# The package as npm publishes it.
pack: pkg
	cd pkg && npm pack --pack-destination ../target --loglevel=error > /dev/null

test-node: pack
	node --test www/tests/smoke.test.mjs
	tar tzf target/sabaplot-$(VERSION).tgz > target/pack-list.txt
	grep -qx package/sabaplot_bg.wasm target/pack-list.txt
	grep -qx package/loader.js target/pack-list.txt
	# Every module the glue imports (wasm-bindgen snippets) is in the package.
	for m in $$(grep -o "from '\./[^']*'" pkg/sabaplot.js | sed "s/from '\.\/\(.*\)'/\1/"); do \
		grep -qx "package/$$m" target/pack-list.txt || { echo "npm pack: $$m is missing"; exit 1; }; done
	@echo "npm pack: target/sabaplot-$(VERSION).tgz holds the wasm and every module the glue imports"

# The package's TypeScript types, checked by tsc against documented use and
# marked mistakes (www/types/check.ts); the README's examples compiled
# against the tarball as a strict project would; the package linted by
# publint and are-the-types-wrong (ESM only, by design), and published dry.
test-types: pack
	tsc -p www/types/tsconfig.json
	@echo "tsc: the package's types check"
	node scripts/readme-examples.mjs target/sabaplot-$(VERSION).tgz
	publint --strict pkg
	attw --quiet --profile esm-only target/sabaplot-$(VERSION).tgz || attw --profile esm-only target/sabaplot-$(VERSION).tgz
	@echo "publint, are-the-types-wrong: nothing to report"
	cd pkg && npm publish --dry-run --loglevel=error > /dev/null
	@echo "npm publish --dry-run: the package would publish"

# The packed package built into a small app by Vite, webpack and esbuild,
# each build drawn in headless Chromium.
test-bundlers: pack setup-browser
	node --test www/tests/bundlers.test.mjs

test-e2e: pack server setup-browser
	SERVER_BIN=$(CURDIR)/$(SERVER) node --test --test-concurrency=1 www/tests/e2e.test.mjs www/tests/interaction.test.mjs www/tests/charts.test.mjs www/tests/sources.test.mjs www/tests/loader.test.mjs www/tests/engines.test.mjs www/tests/ratelimit.test.mjs www/tests/live.test.mjs www/tests/dashboard.test.mjs www/tests/proxy.test.mjs www/tests/server.test.mjs www/tests/badinput.test.mjs www/tests/csp.test.mjs www/tests/style.test.mjs www/tests/handle.test.mjs www/tests/element.test.mjs www/tests/headless.test.mjs

# The loader against a real Prometheus (Debian's package) backfilled by
# promtool with 35 days of 1-minute data.
test-prometheus: pkg server setup-browser
	@scripts/setup.sh prometheus
	SERVER_BIN=$(CURDIR)/$(SERVER) node --test www/tests/prometheus.test.mjs www/tests/victoriametrics.test.mjs

# sabaplot beside uPlot, ECharts and Chart.js on the same data in one
# headless Chromium run; writes target/bench/peers.md (LIBS=…, SERIES=… narrow it).
bench: pkg setup-browser
	node www/bench/peers.mjs

# Loading from the demo server through the package's loader in headless
# Chromium: first picture and full detail (460 days, 1 series and a 16-host
# role), each range's first picture, wasm parse beside JSON.parse of the same
# bytes; writes target/bench/load.md. RUNS=… (default 3).
bench-load: pkg server setup-browser
	node www/bench/load.mjs

# Where sabaplot's time goes: the first frame in phases and a CPU profile of
# pans at 32 series, from a copy of the package that keeps the wasm's
# function names; writes target/bench/profile.md.
bench-profile: pkg setup-browser
	rm -rf target/bench/pkg-names
	wasm-bindgen --target web --keep-debug --out-dir target/bench/pkg-names --out-name sabaplot $(WASM_OUT)
	node scripts/glue.mjs target/bench/pkg-names/sabaplot.js
	node www/bench/profile.mjs

# Engine kernels natively (criterion), on 460 days of 1-minute data.
bench-engine:
	cargo bench --bench engine

# The same kernels compiled to wasm, timed in Node.
bench-wasm: setup
	cargo build --release -p sabaplot-bench-wasm --target $(WASM_TARGET)
	rm -rf target/bench-wasm
	wasm-bindgen --target experimental-nodejs-module --out-dir target/bench-wasm \
		target/$(WASM_TARGET)/release/sabaplot_bench_wasm.wasm
	echo '{"type": "module"}' > target/bench-wasm/package.json
	node benches/wasm_kernels.mjs

# sabaplot::downsample beside tsdownsample (PyPI) on the same data: speed
# ratios and whether the outputs agree.
TSD_VENV := target/tsdownsample-venv
bench-tsdownsample:
	test -x $(TSD_VENV)/bin/python || python3 -m venv $(TSD_VENV)
	$(TSD_VENV)/bin/python -c 'import tsdownsample, numpy' 2>/dev/null || \
		$(TSD_VENV)/bin/pip install --quiet tsdownsample==0.1.5.1 numpy
	cargo bench --bench downsample_compare -- target/downsample-compare
	$(TSD_VENV)/bin/python benches/tsdownsample_compare.py target/downsample-compare

clean:
	rm -rf pkg target/e2e
	cargo clean
