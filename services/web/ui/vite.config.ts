import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { defaultClientConditions, defineConfig, type Plugin } from 'vite'
import { formatSize, searchPageSize } from './size.ts'

const root = dirname(fileURLToPath(import.meta.url))

/** Prints the search page's initial JavaScript (gzip) after every build; the budget is 200 KB. */
function reportSearchPageSize(): Plugin {
  return {
    name: 'commons:search-page-size',
    apply: 'build',
    closeBundle: {
      order: 'post',
      handler() {
        process.stdout.write(`${formatSize(searchPageSize(`${root}/dist`))}\n`)
      },
    },
  }
}

export default defineConfig({
  root,
  base: '/',
  // Workspace packages export their TypeScript source under `development`.
  resolve: { conditions: ['development', ...defaultClientConditions] },
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  plugins: [reportSearchPageSize()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    manifest: true,
    // The CSP allows scripts from self only; the polyfill is not needed by the browsers we target.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 300,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry comments Rollup cannot place; harmless, and not ours to change.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return
        warn(warning)
      },
    },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:4100' } },
})
