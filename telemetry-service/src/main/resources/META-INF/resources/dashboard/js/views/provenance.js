// Provenance: the latest signed checkpoint, search by agent and time, one record's lineage and its inclusion
// proof checked here in the browser against the checkpoint's root.
import { query, upstream } from '../api.js';
import { badge, h, link, panel, short, table, time } from '../dom.js';
import {
  fromBase64, hasWebCrypto, parseCheckpoint, toHex, verifyCheckpointSignature, verifyInclusion,
} from '../merkle.js';

const TYPES = ['FRESH', 'CLONED', 'EVOLVED', 'PROMOTED', 'IMPORTED'];

async function latestCheckpoint() {
  const [note, key] = await Promise.all([
    upstream('provenance', 'v1/log/checkpoint', { accept: 'text/plain' }),
    upstream('provenance', 'v1/log/key', { accept: 'text/plain' }),
  ]);
  const checkpoint = parseCheckpoint(note);
  const signature = hasWebCrypto() ? await verifyCheckpointSignature(checkpoint, key.trim())
    : 'WebCrypto needs a secure context (HTTPS or localhost)';
  return { checkpoint, signature, key: key.trim() };
}

function checkpointPanel({ checkpoint, signature, key }) {
  return panel('Latest signed checkpoint',
    h('dl', { class: 'figures', id: 'checkpoint', dataset: { size: checkpoint.size } },
      h('dt', null, 'origin'), h('dd', null, checkpoint.origin),
      h('dt', null, 'tree size'), h('dd', { dataset: { field: 'treeSize' } }, checkpoint.size),
      h('dt', null, 'root (hex)'), h('dd', { class: 'mono break' }, toHex(checkpoint.root)),
      h('dt', null, 'signature'), h('dd', { id: 'checkpoint-signature' },
        signature === true ? badge('verified', 'valid') : signature === false ? badge('INVALID', 'broken') : signature),
      h('dt', null, 'log key'), h('dd', { class: 'mono break' }, key)));
}

export async function renderSearch({ params }) {
  const filters = {
    agentId: params.get('agentId') ?? '', creationType: params.get('creationType') ?? '',
    from: params.get('from') ?? '', to: params.get('to') ?? '', cursor: params.get('cursor') ?? '',
  };
  const [head, page] = await Promise.all([latestCheckpoint(),
    upstream('provenance', `v1/provenance${query({ ...filters, limit: 50 })}`)]);
  return h('div', null,
    h('h1', null, 'Provenance'),
    checkpointPanel(head),
    searchForm(filters),
    panel('Records',
      page.items.length === 0 ? h('p', { class: 'muted', id: 'no-records' }, 'No record matches.') : null,
      table(['Leaf', 'Created', 'Agent', 'Type', 'Kind', 'Id'], page.items.map(r => h('tr', {
        class: 'clickable', dataset: { recordId: r.id, creationType: r.creationType },
        onclick: () => { location.hash = `#/provenance/${encodeURIComponent(r.id)}`; },
      },
        h('td', { class: 'num' }, r.leafIndex), h('td', null, time(r.createdAt)), h('td', null, r.agentId),
        h('td', null, r.creationType), h('td', null, kind(r.metadata)),
        h('td', { class: 'mono' }, link(`#/provenance/${encodeURIComponent(r.id)}`, r.id))))),
      page.nextCursor ? h('p', null, link(`#/provenance${query({ ...filters, cursor: page.nextCursor })}`, 'Next page →')) : null));
}

/** What an anchored record stands for (the event type it anchors), or the producer's own metadata kind. */
function kind(metadata) {
  if (metadata?.kind === 'anchor') return `anchor: ${metadata.event?.type ?? '?'}`;
  return typeof metadata?.kind === 'string' ? metadata.kind : '';
}

/** datetime-local inputs are read as UTC and sent as RFC 3339 instants. */
function searchForm(filters) {
  const local = iso => (iso ? iso.replace(/(\.\d+)?Z$/, '') : '');
  const form = h('form', { class: 'filters', id: 'provenance-search' },
    h('label', null, 'Agent', h('input', { name: 'agentId', id: 'search-agentId', value: filters.agentId, placeholder: 'agent id' })),
    h('label', null, 'Type', h('select', { name: 'creationType' }, h('option', { value: '' }, 'any'),
      TYPES.map(t => h('option', { value: t, selected: filters.creationType === t }, t)))),
    h('label', null, 'From (UTC)', h('input', { type: 'datetime-local', name: 'from', value: local(filters.from) })),
    h('label', null, 'To (UTC)', h('input', { type: 'datetime-local', name: 'to', value: local(filters.to) })),
    h('button', { type: 'submit' }, 'Search'));
  form.addEventListener('submit', event => {
    event.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    for (const k of ['from', 'to']) {
      if (data[k]) data[k] = /T\d\d:\d\d$/.test(data[k]) ? `${data[k]}:00Z` : `${data[k]}Z`;
    }
    location.hash = `#/provenance${query(data)}`;
  });
  return form;
}

export async function renderRecord({ id }) {
  const path = `v1/provenance/${encodeURIComponent(id)}`;
  const [record, lineage, head] = await Promise.all([upstream('provenance', path),
    upstream('provenance', `${path}/lineage`), latestCheckpoint()]);
  const proof = await upstream('provenance', `${path}/proof${query({ treeSize: head.checkpoint.size })}`);
  return h('div', null,
    h('p', null, link('#/provenance', '← Provenance')),
    h('h1', null, `Record ${record.id}`),
    h('div', { class: 'grid' },
      panel('Record', h('dl', { class: 'figures' },
        h('dt', null, 'agent'), h('dd', null, record.agentId),
        h('dt', null, 'type'), h('dd', null, record.creationType),
        h('dt', null, 'parent'), h('dd', null, record.parentId
          ? link(`#/provenance/${encodeURIComponent(record.parentId)}`, short(record.parentId, 13)) : '–'),
        h('dt', null, 'content hash'), h('dd', { class: 'mono break' }, record.contentHash ?? '–'),
        h('dt', null, 'created'), h('dd', null, time(record.createdAt)),
        h('dt', null, 'leaf index'), h('dd', { dataset: { field: 'leafIndex' } }, record.leafIndex),
        h('dt', null, 'first in tree of size'), h('dd', null, record.treeSize))),
      checkpointPanel(head)),
    panel(`Lineage (${lineage.length})`, h('ol', { id: 'lineage' }, lineage.chain.map(r => h('li', { dataset: { recordId: r.id } },
      link(`#/provenance/${encodeURIComponent(r.id)}`, r.id), ` ${r.creationType} by ${r.agentId}, ${time(r.createdAt)}`)))),
    proofPanel(record, proof, head),
    panel('Metadata', h('pre', null, JSON.stringify(record.metadata ?? {}, null, 2))));
}

function proofPanel(record, proof, head) {
  const leafText = new TextDecoder().decode(fromBase64(record.leaf));
  const leaf = h('textarea', { class: 'leaf', id: 'leaf', spellcheck: 'false' });
  leaf.value = leafText;
  const result = h('div', { id: 'proof-result' });
  const button = h('button', { type: 'button', id: 'verify-proof' }, 'Verify inclusion in this browser');
  button.addEventListener('click', async () => {
    button.disabled = true;
    result.removeAttribute('data-result');
    result.replaceChildren(h('p', { class: 'muted' }, 'Checking…'));
    try {
      if (!hasWebCrypto()) throw new Error('WebCrypto needs a secure context (HTTPS or localhost)');
      const outcome = await verifyInclusion({ leafText: leaf.value, leafIndex: proof.leafIndex, proof,
        checkpoint: head.checkpoint, signature: head.signature });
      result.className = `result ${outcome.ok ? 'verified' : 'failed'}`;
      result.dataset.result = outcome.ok ? 'verified' : 'failed';
      result.replaceChildren(
        outcome.ok ? `Verified: this record is leaf ${proof.leafIndex} of the signed tree of size ${proof.treeSize}.`
          : 'FAILED: this record is not proven to be in the signed log.',
        h('ul', { class: 'steps' }, outcome.steps.map(s => h('li', null, s))));
    } catch (e) {
      result.className = 'result failed';
      result.dataset.result = 'failed';
      result.replaceChildren(`FAILED: ${e.message}`);
    } finally {
      button.disabled = false;
    }
  });
  return panel('Inclusion proof',
    h('p', { class: 'muted' }, 'The leaf below is the record\'s RFC 8785 canonical JSON as logged. Verification hashes '
      + 'exactly this text (SHA-256 with the 0x00 leaf prefix), walks the audit path with 0x01 node hashing and compares '
      + 'the result with the root of the latest signed checkpoint. Edit the text to see a tampered record fail.'),
    h('label', { class: 'field', for: 'leaf' }, 'Leaf (canonical JSON)', leaf),
    h('p', { class: 'muted' }, `Proof for leaf ${proof.leafIndex} in tree size ${proof.treeSize}: ${proof.hashes.length} hashes`),
    h('ol', { class: 'mono break', id: 'proof-hashes' }, proof.hashes.map(x => h('li', null, toHex(fromBase64(x))))),
    h('div', { class: 'row' }, button),
    result);
}
