// The dashboard shell: sign-in, the hash router and the page frame. Nothing is fetched before a token is accepted.
import { api, session } from './api.js';
import { errorBox, h } from './dom.js';
import * as overview from './views/overview.js';
import * as alerts from './views/alerts.js';
import * as rollouts from './views/rollouts.js';
import * as provenance from './views/provenance.js';
import * as tasks from './views/tasks.js';
import * as escalations from './views/escalations.js';
import * as agents from './views/agents.js';
import * as silences from './views/silences.js';

const ID = '[A-Za-z0-9._:-]{1,128}';
const UUID = '[0-9a-fA-F-]{36}';

/** Hash routes: #/page[/id][?filters]. Filters are plain search values, never a token. */
const ROUTES = [
  { name: 'overview', re: /^\/(?:overview)?$/, render: overview.render },
  { name: 'escalations', re: /^\/escalations$/, render: escalations.render },
  { name: 'agents', re: new RegExp(`^/agents/(${ID})$`), render: agents.renderOne },
  { name: 'agents', re: /^\/agents$/, render: agents.renderList },
  { name: 'alerts', re: new RegExp(`^/alerts/(${UUID})$`), render: alerts.renderOne },
  { name: 'alerts', re: /^\/alerts$/, render: alerts.renderList },
  { name: 'silences', re: /^\/silences$/, render: silences.render },
  { name: 'rollouts', re: /^\/rollouts$/, render: rollouts.render },
  { name: 'provenance', re: new RegExp(`^/provenance/(${UUID})$`), render: provenance.renderRecord },
  { name: 'provenance', re: /^\/provenance$/, render: provenance.renderSearch },
  { name: 'tasks', re: new RegExp(`^/tasks(?:/(${ID}))?$`), render: tasks.render },
];

const $ = id => document.getElementById(id);
let caller = null;
let renderSeq = 0;

function showLogin(message) {
  caller = null;
  $('view').hidden = true;
  $('view').replaceChildren();
  $('nav').hidden = true;
  $('whoami').hidden = true;
  $('logout').hidden = true;
  $('login').hidden = false;
  const error = $('login-error');
  error.textContent = message ?? '';
  error.hidden = !message;
  document.body.dataset.view = 'login';
}

function showApp() {
  $('login').hidden = true;
  $('view').hidden = false;
  $('nav').hidden = false;
  $('whoami').textContent = `${caller.subject} · ${caller.roles.join(', ')}`;
  $('whoami').hidden = false;
  $('logout').hidden = false;
  route();
}

/** Checks a token with telemetry-service's /v1/whoami; only operator and admin tokens open the dashboard. */
async function signIn(raw) {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  if (!token) return showLogin('Paste a token first.');
  let who;
  try {
    who = await api('/v1/whoami', { token });
  } catch (e) {
    if (e.status === 401) return showLogin('This token was refused: it is expired, malformed, or not signed by this installation.');
    if (e.status === 403) return showLogin('This token carries no Trustplane role. The dashboard needs an operator or admin token.');
    return showLogin(`The token could not be checked: ${e.message}`);
  }
  const roles = who.roles ?? [];
  if (!roles.includes('operator') && !roles.includes('admin')) {
    const kind = roles.includes('agent') ? 'an agent' : `a ${roles.join('/')}`;
    session.clear();
    return showLogin(`This is ${kind} token (${who.subject}): agents cannot open the dashboard. Sign in with an operator or admin token.`);
  }
  session.store(token);
  caller = { subject: who.subject, roles, admin: roles.includes('admin') };
  showApp();
}

async function route() {
  if (!caller) return;
  const raw = location.hash.replace(/^#/, '') || '/overview';
  const [path, search = ''] = raw.split('?');
  const match = ROUTES.map(r => ({ r, m: path.match(r.re) })).find(x => x.m);
  const view = $('view');
  const seq = ++renderSeq;
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('current', match?.r.name === a.dataset.nav));
  view.dataset.state = 'loading';
  view.dataset.view = match?.r.name ?? 'unknown';
  document.body.dataset.view = view.dataset.view;
  view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  let content;
  try {
    content = match
      ? await match.r.render({ id: match.m[1], params: new URLSearchParams(search), caller, refresh: route })
      : errorBox(new Error(`No page at #${path}`));
  } catch (e) {
    content = errorBox(e);
  }
  if (seq !== renderSeq || !caller) return; // a newer navigation or a sign-out won
  view.replaceChildren(content);
  view.dataset.state = 'ready';
}

function start() {
  $('login-form').addEventListener('submit', event => {
    event.preventDefault();
    const field = $('token');
    const value = field.value;
    field.value = '';
    signIn(value);
  });
  $('logout').addEventListener('click', () => {
    session.clear();
    showLogin();
  });
  window.addEventListener('hashchange', route);
  window.addEventListener('trustplane:unauthenticated', () => {
    session.clear();
    showLogin('Your token is no longer accepted (expired?). Sign in again.');
  });
  const stored = session.token();
  if (stored) signIn(stored);
  else showLogin();
}

start();
