import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// s3rver ships no types; its surface used here is run() and close().
// @ts-expect-error no declaration file
import S3rver from 's3rver'
import type { TestContext } from './database.ts'

/** A local S3-compatible server with one empty bucket, for code that talks to S3 through the AWS SDK. */
export interface TestS3 {
  endpoint: string
  bucket: string
  region: string
  accessKeyId: string
  secretAccessKey: string
}

/** Starts s3rver on a free loopback port with its files in a temporary folder; stopped when `t` ends. */
export async function startS3Server(t: TestContext, bucket = 'photos'): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'))
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  })
  const address = (await server.run()) as AddressInfo
  t.teardown(async () => {
    await server.close()
    await rm(directory, { recursive: true, force: true })
  })
  // s3rver accepts the credentials it documents and checks the signatures made with them.
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
  }
}
