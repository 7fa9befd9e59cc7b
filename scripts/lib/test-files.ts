import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'

// Like tap's own default exclusions; fixtures hold test files that are meant to fail.
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'fixture', 'fixtures', '.tap', '.git'])

/**
 * Replaces each argument that names a directory with the `*.test.ts` files below it. tap expands
 * directories only to the extensions of its loaded plugins, and its TypeScript plugin is off (tsx loads
 * the files), so `tap services/listings` would find nothing.
 */
export async function expandTestDirectories(args: string[], cwd: string): Promise<string[]> {
  const expanded: string[] = []
  for (const arg of args) {
    const dir = arg.startsWith('-') ? undefined : await directory(path.resolve(cwd, arg))
    const files = dir ? await testFilesBelow(dir) : []
    if (files.length > 0) expanded.push(...files.map((file) => path.relative(cwd, file)))
    else expanded.push(arg)
  }
  return expanded
}

async function directory(candidate: string): Promise<string | undefined> {
  try {
    return (await stat(candidate)).isDirectory() ? candidate : undefined
  } catch {
    return undefined
  }
}

async function testFilesBelow(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) found.push(...(await testFilesBelow(full)))
    else if (entry.isFile() && entry.name.endsWith('.test.ts')) found.push(full)
  }
  return found.sort()
}
