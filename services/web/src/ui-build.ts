import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..')
const UI_SOURCE_DIR = join(PACKAGE_DIR, 'ui')

/** Where `vite build` writes the web UI, and where the web service serves it from by default. */
export const DEFAULT_UI_DIR = join(UI_SOURCE_DIR, 'dist')

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules') continue
    newest = Math.max(newest, newestMtime(join(path, entry)))
  }
  return newest
}

/**
 * True when the UI has no build yet, or a source (ui/, or the contracts and client it bundles) changed after
 * the last build. Compares modification times: cheap enough to run on every `pnpm start`.
 */
export function uiBuildIsStale(): boolean {
  const index = join(DEFAULT_UI_DIR, 'index.html')
  if (!existsSync(index)) return true
  const built = statSync(index).mtimeMs
  const sources = [
    UI_SOURCE_DIR,
    join(PACKAGE_DIR, '..', '..', 'packages', 'contracts', 'src'),
    join(PACKAGE_DIR, '..', '..', 'packages', 'client', 'src'),
  ]
  return sources.some((dir) => existsSync(dir) && newestMtime(dir) > built)
}

/** Runs `vite build` for the UI in a child process; rejects with its output when it fails. */
export function buildUi(): Promise<void> {
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js')
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--config', join(UI_SOURCE_DIR, 'vite.config.ts')], {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk) => {
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.once('error', reject)
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (${code})\n${output}`))))
  })
}

/** Builds the UI when it is missing or older than its sources; returns whether it built. */
export async function ensureUiBuilt(): Promise<boolean> {
  if (!uiBuildIsStale()) return false
  await buildUi()
  return true
}
