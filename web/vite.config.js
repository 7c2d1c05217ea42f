// Vite build of the fazhi browser UI. Output goes to web/dist, which fazhi
// serves itself (src/http/static.c, setting web_dir). Every compressible file
// also gets a precompressed `.gz` twin, served when the browser accepts gzip.
import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import { gzipSync, constants } from 'node:zlib'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|map|txt)$/

function gzipFiles(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name)
    const st = statSync(file)
    if (st.isDirectory()) {
      gzipFiles(file)
    } else if (COMPRESSIBLE.test(name) && st.size >= 1024) {
      const raw = readFileSync(file)
      const gz = gzipSync(raw, { level: constants.Z_BEST_COMPRESSION })
      if (gz.length < raw.length) writeFileSync(file + '.gz', gz)
    }
  }
}

// A small plugin instead of an npm dependency: node's zlib after the bundle is written.
function precompress() {
  let outDir
  return {
    name: 'fazhi-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir)
    },
    closeBundle() {
      gzipFiles(outDir)
    },
  }
}

// `npm run dev` proxies the API to a fazhi started with `make run`.
const api = process.env.FAZHI_API || 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue(), precompress()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'assets',
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/healthz': { target: api },
    },
  },
})
