// Checks provenance-service's proofs in the browser with WebCrypto, trusting nothing the server computed:
// RFC 6962/9162 hashing (leaf = SHA-256(0x00 || leaf), node = SHA-256(0x01 || left || right)), the RFC 9162
// inclusion-proof walk, and the C2SP signed-note checkpoint (Ed25519) against the log's verifier key.

const encoder = new TextEncoder();

export function hasWebCrypto() {
  return Boolean(globalThis.crypto?.subtle);
}

export function fromBase64(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function toBase64(bytes) {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function toHex(bytes) {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function equal(a, b) {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function sha256(bytes) {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export function leafHash(leafBytes) {
  return sha256(concat(Uint8Array.of(0x00), leafBytes));
}

export function nodeHash(left, right) {
  return sha256(concat(Uint8Array.of(0x01), left, right));
}

/** RFC 9162 §2.1.3.2: the root that {@code path} leads to from the leaf at {@code index} of a tree of {@code size}. */
export async function rootFromInclusionProof(index, size, leaf, path) {
  let fn = BigInt(index);
  let sn = BigInt(size) - 1n;
  if (fn > sn) throw new Error(`leaf index ${index} is outside a tree of size ${size}`);
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) throw new Error('the proof has more hashes than the tree has levels');
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) { fn >>= 1n; sn >>= 1n; }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) throw new Error('the proof has fewer hashes than the tree has levels');
  return r;
}

/** A C2SP tlog-checkpoint signed note: origin, size, root, the signed text and its signature lines. */
export function parseCheckpoint(note) {
  const split = note.indexOf('\n\n');
  if (split < 0) throw new Error('not a signed note: no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const lines = text.split('\n');
  if (lines.length < 4 || !/^\d+$/.test(lines[1])) throw new Error('not a tlog checkpoint: expected origin, size and root');
  const signatures = note.slice(split + 2).split('\n').filter(l => l.startsWith('\u2014 ')).map(l => {
    const [name, blob] = l.slice(2).split(' ');
    return { name, blob: fromBase64(blob) };
  });
  return { origin: lines[0], size: Number(lines[1]), rootBase64: lines[2], root: fromBase64(lines[2]), text, signatures };
}

/** Parses {@code name+hexkeyid+base64(0x01 || ed25519 public key)}. */
export function parseVerifierKey(vkey) {
  const first = vkey.indexOf('+');
  const second = vkey.indexOf('+', first + 1);
  if (first < 1 || second < 0) throw new Error('not a note verifier key');
  const raw = fromBase64(vkey.slice(second + 1).trim());
  if (raw[0] !== 0x01 || raw.length !== 33) throw new Error('not an Ed25519 note verifier key');
  return { name: vkey.slice(0, first), keyId: vkey.slice(first + 1, second), publicKey: raw.slice(1) };
}

/** true / false when checked; a string saying why not when this browser cannot check Ed25519. */
export async function verifyCheckpointSignature(checkpoint, verifierKey) {
  const key = parseVerifierKey(verifierKey);
  const sig = checkpoint.signatures.find(s => s.name === key.name && toHex(s.blob.slice(0, 4)) === key.keyId);
  if (!sig) return false;
  let cryptoKey;
  try {
    cryptoKey = await crypto.subtle.importKey('raw', key.publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch (e) {
    return `this browser cannot verify Ed25519 (${e.name})`;
  }
  return crypto.subtle.verify({ name: 'Ed25519' }, cryptoKey, sig.blob.slice(4), encoder.encode(checkpoint.text));
}

/**
 * The whole check of one record: hash the leaf text exactly as given, walk the proof, compare with the signed
 * checkpoint's root. Returns {ok, steps[], leafHash, root}.
 */
export async function verifyInclusion({ leafText, leafIndex, proof, checkpoint, signature }) {
  const steps = [];
  const leaf = await leafHash(encoder.encode(leafText));
  steps.push(`leaf hash SHA-256(0x00 ‖ leaf) = ${toHex(leaf)}`);
  if (proof.treeSize !== checkpoint.size) {
    steps.push(`the proof is for tree size ${proof.treeSize}, the checkpoint for ${checkpoint.size}`);
    return { ok: false, steps, leafHash: leaf };
  }
  let root;
  try {
    root = await rootFromInclusionProof(leafIndex, proof.treeSize, leaf, proof.hashes.map(fromBase64));
  } catch (e) {
    steps.push(e.message);
    return { ok: false, steps, leafHash: leaf };
  }
  steps.push(`root from ${proof.hashes.length} proof hashes = ${toHex(root)}`);
  steps.push(`checkpoint root (tree size ${checkpoint.size}) = ${toHex(checkpoint.root)}`);
  const rootMatches = equal(root, checkpoint.root);
  steps.push(rootMatches ? 'computed root equals the checkpoint root' : 'computed root differs from the checkpoint root');
  if (signature === true) steps.push('checkpoint signature verified (Ed25519) with the log key');
  else if (signature === false) steps.push('checkpoint signature does NOT verify with the log key');
  else steps.push(`checkpoint signature not checked: ${signature}`);
  return { ok: rootMatches && signature !== false, steps, leafHash: leaf, root };
}
