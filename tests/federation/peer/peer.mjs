// An independent ActivityPub server for Minga's interoperability test, built on Fedify.
//
// One account, "bob", at http://127.0.0.1:<port>/users/bob. Fedify itself does the protocol:
// WebFinger, the actor document, HTTP Signatures (it signs everything it sends and verifies
// everything it receives), JSON-LD. Inbox listeners are called only for activities whose
// signatures verified; they record what arrived. A small control API (/control/…) lets the
// test make bob act: follow someone by handle, reply to a post, publish a note.
//
//   node peer.mjs --port 8765
//
// The test trusts Minga's test certificate through NODE_EXTRA_CA_CERTS.

import http from "node:http";
import { configure, getConsoleSink } from "@logtape/logtape";
import {
  Accept,
  Article,
  Create,
  Delete,
  Endpoints,
  Event,
  Follow,
  Mention,
  Note,
  Person,
  PUBLIC_COLLECTION,
  Undo,
  Update,
  createFederation,
  generateCryptoKeyPair,
  InProcessMessageQueue,
  MemoryKvStore,
} from "@fedify/fedify";

// Fedify says what it refuses (bad signatures, unreadable activities) through LogTape.
await configure({
  sinks: { console: getConsoleSink() },
  loggers: [
    { category: "fedify", lowestLevel: "info", sinks: ["console"] },
    { category: ["logtape", "meta"], lowestLevel: "error", sinks: ["console"] },
  ],
});

const portIndex = process.argv.indexOf("--port");
const port = Number(portIndex > 0 ? process.argv[portIndex + 1] : 8765);
const origin = `http://127.0.0.1:${port}`;

const federation = createFederation({
  kv: new MemoryKvStore(),
  queue: new InProcessMessageQueue(),
  // Minga runs on loopback in the test; Fedify refuses private addresses otherwise.
  allowPrivateAddress: true,
});

const keys = [];
const received = [];
const followers = new Map(); // actor id -> { id, inboxId, endpoints }
let following = null;

async function keyPairs() {
  if (keys.length === 0) {
    keys.push(await generateCryptoKeyPair("RSASSA-PKCS1-v1_5"));
    keys.push(await generateCryptoKeyPair("Ed25519"));
  }
  return keys;
}

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== "bob") return null;
    const pairs = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Bob (Fedify)",
      summary: "A peer for Minga's interoperability test.",
      inbox: ctx.getInboxUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      followers: ctx.getFollowersUri(identifier),
      url: ctx.getActorUri(identifier),
      publicKey: pairs[0].cryptographicKey,
      assertionMethods: pairs.map((pair) => pair.multikey),
    });
  })
  .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === "bob" ? await keyPairs() : []));

federation.setFollowersDispatcher("/users/{identifier}/followers", async (_ctx, identifier) => {
  if (identifier !== "bob") return null;
  return { items: [...followers.values()] };
});

function record(kind, activity, object) {
  received.push({
    type: kind,
    id: activity.id?.href ?? null,
    actor: activity.actorId?.href ?? null,
    objectType: object?.constructor?.name ?? null,
    objectId: object?.id?.href ?? null,
    name: object?.name?.toString() ?? null,
    content: object?.content?.toString() ?? null,
    inReplyTo: object?.replyTargetId?.href ?? null,
    startTime: object?.startTime?.toString() ?? null,
  });
}

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    const follower = await follow.getActor();
    if (follower == null || follower.id == null) return;
    followers.set(follower.id.href, {
      id: follower.id,
      inboxId: follower.inboxId,
      endpoints: follower.endpoints,
    });
    record("Follow", follow, follower);
    await ctx.sendActivity({ identifier: "bob" }, follower, new Accept({
      id: new URL(`${origin}/accepts/${crypto.randomUUID()}`),
      actor: ctx.getActorUri("bob"),
      object: follow,
    }));
  })
  // The Accept embeds our own Follow; Fedify would fetch it again from us to trust it, so
  // only its id is recorded (the Accept's signature was verified all the same).
  .on(Accept, async (_ctx, accept) => record("Accept", accept, { id: accept.objectId }))
  .on(Create, async (_ctx, create) => record("Create", create, await create.getObject()))
  .on(Update, async (_ctx, update) => record("Update", update, await update.getObject()))
  .on(Delete, async (_ctx, deletion) => record("Delete", deletion, { id: deletion.objectId }))
  .on(Undo, async (_ctx, undo) => record("Undo", undo, await undo.getObject()));

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function json(response, status, value) {
  response.writeHead(status, { "Content-Type": "application/json" });
  response.end(JSON.stringify(value));
}

async function control(path, input) {
  const ctx = federation.createContext(new URL(origin), undefined);
  const bob = ctx.getActorUri("bob");
  if (path === "/control/received") return received;
  if (path === "/control/follow") {
    // Discovery by WebFinger: acct:slug@host is looked up on the host, then the actor.
    const target = await ctx.lookupObject(input.handle);
    if (target == null || target.id == null) throw new Error(`not found: ${input.handle}`);
    following = target;
    await ctx.sendActivity({ identifier: "bob" }, target, new Follow({
      id: new URL(`${origin}/follows/${crypto.randomUUID()}`),
      actor: bob,
      object: target.id,
    }));
    return { actor: target.id.href, type: target.constructor.name, name: target.name?.toString() };
  }
  if (path === "/control/reply") {
    const target = following ?? (await ctx.lookupObject(input.actor));
    const id = new URL(`${origin}/notes/${crypto.randomUUID()}`);
    const note = new Note({
      id,
      attributedTo: bob,
      content: input.content,
      replyTarget: new URL(input.inReplyTo),
      to: PUBLIC_COLLECTION,
      ccs: [target.id],
      tags: [new Mention({ href: target.id, name: input.mention ?? "@minga" })],
    });
    await ctx.sendActivity({ identifier: "bob" }, target, new Create({
      id: new URL(`${id.href}/activity`),
      actor: bob,
      object: note,
      to: PUBLIC_COLLECTION,
      ccs: [target.id],
    }));
    return { id: id.href };
  }
  if (path === "/control/post") {
    const id = new URL(`${origin}/notes/${crypto.randomUUID()}`);
    const note = new Note({
      id,
      attributedTo: bob,
      content: input.content,
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri("bob"),
    });
    await ctx.sendActivity({ identifier: "bob" }, "followers", new Create({
      id: new URL(`${id.href}/activity`),
      actor: bob,
      object: note,
      to: PUBLIC_COLLECTION,
      cc: ctx.getFollowersUri("bob"),
    }));
    return { id: id.href, followers: followers.size };
  }
  throw new Error(`unknown control ${path}`);
}

const server = http.createServer(async (request, response) => {
  try {
    const url = new URL(request.url, origin);
    const body = await readBody(request);
    if (url.pathname.startsWith("/control/")) {
      const input = body.length ? JSON.parse(body.toString()) : {};
      json(response, 200, await control(url.pathname, input));
      return;
    }
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers)) {
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const answer = await federation.fetch(
      new Request(url, {
        method: request.method,
        headers,
        body: request.method === "GET" || request.method === "HEAD" ? undefined : body,
      }),
      { contextData: undefined },
    );
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  } catch (error) {
    console.error(error);
    json(response, 500, { error: String(error?.stack ?? error) });
  }
});

server.listen(port, "127.0.0.1", () => console.log(`peer ready on ${origin}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
