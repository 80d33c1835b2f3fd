// Signing in to a running api over HTTP, as the dashboard and integrators do.

export interface LoginAnswer {
  status: number;
  body: { accessToken: string; expiresIn: number; user: { email: string; role: string } } | null;
}

/** POST /api/v1/auth/login; the answer tells whether the password is accepted. */
export async function apiLogin(baseUrl: string, email: string, password: string): Promise<LoginAnswer> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as LoginAnswer['body'] };
}

/** An access token for `email`; throws, naming the status, when the login is refused. */
export async function accessToken(baseUrl: string, email: string, password: string): Promise<string> {
  const { status, body } = await apiLogin(baseUrl, email, password);
  if (status !== 200 || !body) throw new Error(`login as ${email} answered ${status}`);
  return body.accessToken;
}

/** POST `route` with a JSON body (and a bearer token); the JSON answer, or an error naming the status. */
export async function postJson<T>(baseUrl: string, route: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${route}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
