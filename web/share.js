// Definitions as share links: "#a=" (an audience) or "#f=" (a funnel, "kind": "funnel") +
// base64url of the deflate-compressed JSON, made with the browser's own CompressionStream, so
// nothing leaves the page to make or read a link.
const kMaxLinkBytes = 1 << 20;  // a decompressed definition larger than this is refused

// Runs bytes through a (de)compression stream, stopping past `limit` output bytes so that a
// small hostile link cannot inflate into gigabytes.
async function pipe(bytes, stream, limit = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(stream).getReader();
  const parts = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new Error(`more than ${limit} bytes`);
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) out.set(p, at), (at += p.length);
  return out;
}

const toBase64Url = (bytes) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

const fromBase64Url = (text) => {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the link is not base64url text');
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(b, (c) => c.charCodeAt(0));
};

export async function shareFragment(definition) {
  const json = new TextEncoder().encode(JSON.stringify(definition));
  const prefix = definition && definition.kind === 'funnel' ? '#f=' : '#a=';
  return prefix + toBase64Url(await pipe(json, new CompressionStream('deflate')));
}

// Reads the definition a "#a=" or "#f=" fragment carries; throws an Error saying what is wrong.
export async function readShareFragment(fragment) {
  const m = /^#[af]=(.*)$/.exec(fragment);
  if (!m) throw new Error('the link carries no definition ("#a=…" or "#f=…")');
  let json;
  try {
    json = await pipe(fromBase64Url(m[1]), new DecompressionStream('deflate'), kMaxLinkBytes);
  } catch (e) {
    throw new Error(`the link is damaged or too large (${e.message || e})`);
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    throw new Error(`the linked definition is not valid JSON (${e.message || e})`);
  }
}
