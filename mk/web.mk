# The browser UI (web/, Vue 3 + Element Plus, built with Vite into web/dist,
# served by fazhi itself) and its browser tests (tests/e2e/, Playwright driving
# Debian's chromium). Included by the main Makefile.
#   make web    install Node.js/npm if missing (Node.js 18 or newer: Vite 5),
#               `npm ci` when web/node_modules is missing or older than the lock
#               file, `npm run build` when a source is newer than web/dist/index.html
#   make e2e    web + fazhi, then tests/e2e/run.mjs (TAP; screenshots in build/screenshots)

WEB_SOURCES = $(shell find web/src web/public -type f 2>/dev/null) web/index.html \
	$(wildcard web/vite.config.*) web/package.json web/package-lock.json

.PHONY: web e2e web-clean

# Vite 5 runs on Node.js 18 (Debian 12's own nodejs) and newer.
NODE_CHECK = const [a] = process.versions.node.split('.').map(Number); \
	if (a < 18) { \
	console.error('fazhi: the web build needs Node.js 18 or newer, this machine has ' + \
	process.version + '; install Debian 12 nodejs (or NodeSource / nvm) and run make web again'); process.exit(1) }

web:
	@scripts/deps.sh web
	@node -e "$(NODE_CHECK)"
	@$(MAKE) --no-print-directory web/dist/index.html

# `npm ci` replaces node_modules; the stamp records which lock file it installed.
# (package.json pins rollup through "overrides" to a release whose platform
# packages are all on the registry: `npm ci` refuses a lock file that lacks
# any of them.)
web/node_modules/.fazhi-installed: web/package-lock.json
	@echo "  NPM     ci"
	@cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web/dist/index.html: $(WEB_SOURCES) | web/node_modules/.fazhi-installed
	@echo "  VITE    web/dist"
	@cd web && npm run --silent build -- --logLevel warn

e2e: web
	@scripts/deps.sh e2e
	@$(MAKE) --no-print-directory all
	@node tests/e2e/run.mjs --bin $(B)/fazhi --web-dir web/dist

web-clean:
	rm -rf web/dist web/node_modules
