// Child-process entry of the search benchmark's floor: an HTTP server that forwards every request to
// Meilisearch (PROXY_TARGET) as it came and answers with Meilisearch's bytes, with no logic of its own, so
// that what it costs is one Node HTTP hop on a keep-alive pool, as discovery's search path has. Prints
// the URL once listening.
import http from 'node:http'

const target = new URL(process.env.PROXY_TARGET!)
const agent = new http.Agent({ keepAlive: true, maxSockets: 128 })

const server = http.createServer((req, res) => {
  const body: Buffer[] = []
  req.on('data', (chunk: Buffer) => body.push(chunk))
  req.on('end', () => {
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: {
          authorization: req.headers.authorization ?? '',
          'content-type': req.headers['content-type'] ?? 'application/json',
          'accept-encoding': 'identity',
        },
        agent,
      },
      (answer) => {
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('end', () => {
          res.writeHead(answer.statusCode ?? 502, { 'content-type': 'application/json' })
          res.end(Buffer.concat(chunks))
        })
      },
    )
    upstream.on('error', () => {
      res.writeHead(502).end()
    })
    upstream.end(Buffer.concat(body))
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address && typeof address === 'object') process.stdout.write(`http://127.0.0.1:${address.port}\n`)
})
process.on('SIGTERM', () => {
  server.close()
  server.closeAllConnections()
  process.exit(0)
})
