import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'

/**
 * Where photo variants live. Keys are content-addressed (`<photo id>/<variant>.webp`), so a key is written
 * once and never changes: a second write of the same key carries the same bytes.
 */
export interface PhotoStorage {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>
  /** The stored bytes, or undefined when nothing is stored under `key`. */
  get(key: string): Promise<Buffer | undefined>
  readonly kind: 'local' | 's3'
  close?(): void
}

/** Photos as files under a directory (DATA_DIR/photos by default). */
export class LocalPhotoStorage implements PhotoStorage {
  readonly kind = 'local'
  constructor(private readonly root: string) {}

  async put(key: string, bytes: Buffer): Promise<void> {
    const path = join(this.root, key)
    await mkdir(dirname(path), { recursive: true })
    // Written beside and renamed, so a reader never sees half a file when two uploads of one photo race.
    const partial = `${path}.${process.pid}.${Date.now()}.partial`
    await writeFile(partial, bytes)
    await rename(partial, path)
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(join(this.root, key))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw error
    }
  }
}

/** The settings of an S3-compatible store (Aliyun OSS, Tencent COS, MinIO, AWS S3). */
export interface S3Settings {
  bucket: string
  endpoint?: string | undefined
  region: string
  accessKeyId: string
  secretAccessKey: string
  /** Path-style URLs (`endpoint/bucket/key`): MinIO and most self-hosted stores need them. */
  forcePathStyle: boolean
  /** Prepended to every key, so one bucket can hold several deployments. */
  prefix: string
}

/** Photos in an S3-compatible bucket. */
export class S3PhotoStorage implements PhotoStorage {
  readonly kind = 's3'
  private readonly client: S3Client
  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint,
      forcePathStyle: settings.forcePathStyle,
      credentials: { accessKeyId: settings.accessKeyId, secretAccessKey: settings.secretAccessKey },
      // The SDK's default CRC32 trailers (aws-chunked uploads) are AWS-only; OSS, COS and older MinIO and
      // test servers store the chunk framing as the object or refuse it. Checksums only where S3 needs them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    })
  }

  async put(key: string, bytes: Buffer, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.settings.bucket,
        Key: `${this.settings.prefix}${key}`,
        Body: bytes,
        ContentType: contentType,
        CacheControl: 'public, max-age=31536000, immutable',
      }),
    )
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: `${this.settings.prefix}${key}` }),
      )
      return object.Body ? Buffer.from(await object.Body.transformToByteArray()) : undefined
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined
      throw error
    }
  }

  close() {
    this.client.destroy()
  }
}

/** The photo store the configuration names: the S3-compatible bucket when one is set, else local disk. */
export function createPhotoStorage(config: {
  DATA_DIR: string
  PHOTOS_S3_BUCKET?: string | undefined
  PHOTOS_S3_ENDPOINT?: string | undefined
  PHOTOS_S3_REGION: string
  PHOTOS_S3_ACCESS_KEY_ID?: string | undefined
  PHOTOS_S3_SECRET_ACCESS_KEY?: string | undefined
  PHOTOS_S3_FORCE_PATH_STYLE: boolean
  PHOTOS_S3_PREFIX: string
}): PhotoStorage {
  if (!config.PHOTOS_S3_BUCKET) return new LocalPhotoStorage(resolve(config.DATA_DIR, 'photos'))
  if (!config.PHOTOS_S3_ACCESS_KEY_ID || !config.PHOTOS_S3_SECRET_ACCESS_KEY) {
    throw new Error('PHOTOS_S3_BUCKET is set: set PHOTOS_S3_ACCESS_KEY_ID and PHOTOS_S3_SECRET_ACCESS_KEY too')
  }
  return new S3PhotoStorage({
    bucket: config.PHOTOS_S3_BUCKET,
    endpoint: config.PHOTOS_S3_ENDPOINT,
    region: config.PHOTOS_S3_REGION,
    accessKeyId: config.PHOTOS_S3_ACCESS_KEY_ID,
    secretAccessKey: config.PHOTOS_S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.PHOTOS_S3_FORCE_PATH_STYLE,
    prefix: config.PHOTOS_S3_PREFIX,
  })
}
