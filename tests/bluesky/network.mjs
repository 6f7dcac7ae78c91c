// A throwaway local Bluesky network for the tests (PLC + PDS + AppView + Ozone from
// @atproto/dev-env), seeded with accounts and a few posts. See tests/helpers/bluesky_network.py.
//
//   node network.mjs CONFIG_JSON
//
// CONFIG_JSON: {"dbPostgresUrl": "postgresql://...", "dbPostgresSchema": "[A-Za-z_]+",
//   "accounts": [{"handle": "us.test", "password": "..."}, ...]   (at least 3),
//   "chatUrl": "http://127.0.0.1:PORT" | null}
//
// Prints ONE line of JSON on stdout once everything is ready:
//   {"pds", "appview", "plc", "control", "accounts": [{handle, did, password, appPassword,
//    privilegedAppPassword}], "posts": {root, mention, reply, quote: {uri, cid}}}
// then runs until stdin closes or SIGTERM/SIGINT, and closes the network.
//
// Control endpoint (127.0.0.1 only): POST /processAll, POST /post {as, text, reply?, quote?},
// POST /bulk {as, text_prefix, count, mention?, reply_to?} -> {refs: [{uri, cid}, ...]}
// (many posts in few commits, for bench/bluesky: see createBulk).
// Quirks (see /work/shared/RECIPES.md): REDIS_HOST must be set; never pass {port: undefined};
// putPreferences {priority: false} per account; processAll() between dependent writes.

import http from 'node:http'
import devEnv from '@atproto/dev-env'

const { TestNetwork } = devEnv

const CHAT_DID = 'did:web:api.bsky.chat'

function fail(message) {
  process.stderr.write(`network.mjs: ${message}\n`)
  process.exit(2)
}

function parseConfig() {
  let config
  try {
    config = JSON.parse(process.argv[2] ?? '')
  } catch (err) {
    fail(`usage: node network.mjs CONFIG_JSON (${err.message})`)
  }
  if (!config.dbPostgresUrl) fail('config.dbPostgresUrl is required')
  if (!/^[A-Za-z_]+$/.test(config.dbPostgresSchema ?? '')) {
    fail('config.dbPostgresSchema must match [A-Za-z_]+')
  }
  if (!Array.isArray(config.accounts) || config.accounts.length < 3) {
    fail('config.accounts needs at least 3 {handle, password}')
  }
  return config
}

// The PDS proxies `atproto-proxy: did:web:api.bsky.chat#bsky_chat` to the #bsky_chat
// service of that DID's document: answer it locally instead of fetching
// https://api.bsky.chat/.well-known/did.json.
function overrideChatDid(idResolver, chatUrl) {
  const did = idResolver.did
  const original = did.resolveNoCheck.bind(did)
  did.resolveNoCheck = async (requested) => {
    if (requested !== CHAT_DID) return original(requested)
    if (!chatUrl) return null
    return {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: CHAT_DID,
      service: [{ id: '#bsky_chat', type: 'BskyChatService', serviceEndpoint: chatUrl }],
    }
  }
}

// Mention facets for "@handle" of any handle the PDS knows (byte offsets, UTF-8).
async function mentionFacets(agent, text) {
  const facets = []
  const re = /(^|\s)@([a-zA-Z0-9.-]+[a-zA-Z0-9])/g
  let match
  while ((match = re.exec(text)) !== null) {
    const handle = match[2]
    let did
    try {
      did = (await agent.com.atproto.identity.resolveHandle({ handle })).data.did
    } catch {
      continue
    }
    const start = Buffer.byteLength(text.slice(0, match.index + match[1].length))
    const end = start + Buffer.byteLength(`@${handle}`)
    facets.push({
      index: { byteStart: start, byteEnd: end },
      features: [{ $type: 'app.bsky.richtext.facet#mention', did }],
    })
  }
  return facets
}

async function createPost(agent, { text, reply, quote }) {
  const record = { text, createdAt: new Date().toISOString() }
  const facets = await mentionFacets(agent, text)
  if (facets.length) record.facets = facets
  if (reply) record.reply = { root: strongRef(reply.root), parent: strongRef(reply.parent) }
  if (quote) record.embed = { $type: 'app.bsky.embed.record', record: strongRef(quote) }
  const { uri, cid } = await agent.post(record)
  return { uri, cid }
}

function strongRef(ref) {
  if (!ref || typeof ref.uri !== 'string' || typeof ref.cid !== 'string') {
    throw new Error(`expected {uri, cid}, got ${JSON.stringify(ref)}`)
  }
  return { uri: ref.uri, cid: ref.cid }
}

// /bulk: `count` posts by one account in applyWrites commits of up to 200 records.
// Text i (from 1) is "@mention text_prefix i" (a mention facet for the handle) or
// "text_prefix i". reply_to: one entry for every post or an array of `count` entries; an
// entry is {root, parent} or a bare ref (root = parent). Returns the refs in order.
// Replies across accounts need a processAll() before them (the AppView drops a reply
// whose parent it has not indexed yet). Every bulk post gets its own createdAt millisecond:
// listNotifications pages by a bare timestamp cursor, so notifications sharing the
// millisecond of a page boundary would be skipped.
const BULK_CHUNK = 200 // the PDS's limit of writes per applyWrites
let bulkClock = 0

function bulkCreatedAt() {
  bulkClock = Math.max(Date.now(), bulkClock + 1)
  return new Date(bulkClock).toISOString()
}

async function createBulk(agent, body) {
  const count = body.count
  if (!Number.isInteger(count) || count < 1 || count > 100000) {
    throw new Error('count must be an integer in 1..100000')
  }
  if (typeof body.text_prefix !== 'string') throw new Error('text_prefix is required')
  const replies = Array.isArray(body.reply_to) ? body.reply_to : null
  if (replies && replies.length !== count) throw new Error('reply_to needs count entries')
  const replyOf = (i) => {
    const entry = replies ? replies[i] : body.reply_to
    if (!entry) return null
    if (entry.root || entry.parent) {
      return { root: strongRef(entry.root), parent: strongRef(entry.parent) }
    }
    return { root: strongRef(entry), parent: strongRef(entry) }
  }
  let mention = null
  if (body.mention) {
    const handle = String(body.mention).replace(/^@/, '')
    const did = (await agent.com.atproto.identity.resolveHandle({ handle })).data.did
    mention = { tag: `@${handle}`, did }
  }
  const refs = []
  for (let start = 0; start < count; start += BULK_CHUNK) {
    const writes = []
    for (let i = start; i < Math.min(count, start + BULK_CHUNK); i++) {
      const words = `${body.text_prefix} ${i + 1}`
      const record = {
        $type: 'app.bsky.feed.post',
        text: mention ? `${mention.tag} ${words}` : words,
        createdAt: bulkCreatedAt(),
      }
      if (mention) {
        record.facets = [
          {
            index: { byteStart: 0, byteEnd: Buffer.byteLength(mention.tag) },
            features: [{ $type: 'app.bsky.richtext.facet#mention', did: mention.did }],
          },
        ]
      }
      const reply = replyOf(i)
      if (reply) record.reply = reply
      writes.push({
        $type: 'com.atproto.repo.applyWrites#create',
        collection: 'app.bsky.feed.post',
        value: record,
      })
    }
    const { data } = await agent.com.atproto.repo.applyWrites({
      repo: agent.session.did,
      writes,
    })
    for (const result of data.results ?? []) refs.push({ uri: result.uri, cid: result.cid })
  }
  if (refs.length !== count) throw new Error(`applyWrites returned ${refs.length} of ${count}`)
  return { refs }
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function startControl(network, agents) {
  const server = http.createServer(async (req, res) => {
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    try {
      if (req.method !== 'POST') return reply(405, { error: 'POST only' })
      const raw = await readBody(req)
      const body = raw ? JSON.parse(raw) : {}
      if (req.url === '/processAll') {
        await network.processAll()
        return reply(200, { ok: true })
      }
      if (req.url === '/post') {
        const agent = agents.get(body.as)
        if (!agent) return reply(400, { error: `unknown account ${body.as}` })
        if (typeof body.text !== 'string') return reply(400, { error: 'text is required' })
        return reply(200, await createPost(agent, body))
      }
      if (req.url === '/bulk') {
        const agent = agents.get(body.as)
        if (!agent) return reply(400, { error: `unknown account ${body.as}` })
        return reply(200, await createBulk(agent, body))
      }
      return reply(404, { error: `no route ${req.url}` })
    } catch (err) {
      process.stderr.write(`network.mjs: control ${req.url}: ${err.stack ?? err}\n`)
      return reply(500, { error: String(err.message ?? err) })
    }
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

async function main() {
  const config = parseConfig()
  process.env.REDIS_HOST ||= 'unused' // asserted by TestNetwork.create, never used
  const started = Date.now()

  const network = await TestNetwork.create({
    dbPostgresUrl: config.dbPostgresUrl,
    dbPostgresSchema: config.dbPostgresSchema,
    pds: { hostname: 'localhost' },
  })
  let control = null
  let closing = null
  const shutdown = (code) => {
    closing ??= (async () => {
      try {
        if (control) await new Promise((resolve) => control.close(resolve))
        await network.close()
      } catch (err) {
        process.stderr.write(`network.mjs: close: ${err.stack ?? err}\n`)
        code = 1
      }
      process.exit(code)
    })()
    return closing
  }
  process.on('SIGTERM', () => shutdown(0))
  process.on('SIGINT', () => shutdown(0))
  process.stdin.on('end', () => shutdown(0))
  process.stdin.on('close', () => shutdown(0))
  process.stdin.resume()

  overrideChatDid(network.pds.ctx.idResolver, config.chatUrl ?? null)
  const networkUp = Date.now()

  const accounts = []
  const agents = new Map()
  for (const [i, { handle, password }] of config.accounts.entries()) {
    const agent = network.pds.getClient()
    await agent.createAccount({ handle, password, email: `${handle}@example.test` })
    const did = agent.session.did
    // This AppView version can flip to priority-only notifications after updateSeen.
    await agent.app.bsky.notification.putPreferences({ priority: false })
    const account = { handle, did, password, appPassword: null, privilegedAppPassword: null }
    if (i === 0) {
      const server = agent.com.atproto.server
      account.appPassword = (await server.createAppPassword({ name: 'parloir' })).data.password
      account.privilegedAppPassword = (
        await server.createAppPassword({ name: 'parloir-chat', privileged: true })
      ).data.password
    }
    accounts.push(account)
    agents.set(handle, agent)
  }
  await network.processAll()

  const [us, first, second] = config.accounts.map((a) => agents.get(a.handle))
  const ourHandle = accounts[0].handle
  const posts = {}
  posts.root = await createPost(us, { text: 'Hello from the Parloir test network' })
  await network.processAll()
  posts.mention = await createPost(first, { text: `Hey @${ourHandle}, a question for you` })
  posts.reply = await createPost(second, {
    text: 'A reply to your post',
    reply: { root: posts.root, parent: posts.root },
  })
  posts.quote = await createPost(first, { text: 'Quoting this', quote: posts.root })
  await network.processAll()

  control = await startControl(network, agents)
  const ready = {
    pds: network.pds.url,
    appview: network.bsky.url,
    plc: network.plc.url,
    control: `http://127.0.0.1:${control.address().port}`,
    accounts,
    posts,
  }
  const seconds = (ms) => (ms / 1000).toFixed(1)
  process.stderr.write(
    `network.mjs: network up in ${seconds(networkUp - started)} s, ` +
      `seeded in ${seconds(Date.now() - networkUp)} s\n`,
  )
  process.stdout.write(`${JSON.stringify(ready)}\n`)
}

main().catch((err) => {
  process.stderr.write(`network.mjs: ${err.stack ?? err}\n`)
  process.exit(1)
})
