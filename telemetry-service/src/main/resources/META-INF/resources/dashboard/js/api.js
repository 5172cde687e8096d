// Every call the dashboard makes: same origin only, bearer token from this tab's session storage, never in a URL.

const TOKEN_KEY = 'trustplane.dashboard.token';

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  store: token => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A non-2xx answer; {@code problem} is the RFC 9457 body when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(typeof problem === 'object' && problem?.detail ? problem.detail : `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(path, { method = 'GET', body, token = session.token(), accept = 'application/json' } = {}) {
  if (!path.startsWith('/v1/')) throw new Error(`refusing to call ${path}: only same-origin /v1/ paths`);
  const headers = { Accept: accept };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer',
  });
  const type = response.headers.get('Content-Type') ?? '';
  const payload = type.includes('json') ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    if (response.status === 401 && token === session.token()) {
      window.dispatchEvent(new CustomEvent('trustplane:unauthenticated'));
    }
    throw new ApiError(response.status, payload);
  }
  return payload;
}

/** lease, provenance or gate-service through telemetry-service's allow-listed pass-through. */
export function upstream(service, path, options) {
  return api(`/v1/dashboard/proxy/${service}/${path}`, options);
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (Array.isArray(v)) v.forEach(x => q.append(k, x));
    else if (v !== undefined && v !== null && v !== '') q.append(k, v);
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}
