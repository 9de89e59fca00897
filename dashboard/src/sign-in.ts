import { mintDevelopmentToken, storedToken, storeToken } from './graph.js';
import { escapeHtml } from './format.js';

// Sign-in: paste a token (kept in sessionStorage, so it goes with the tab), or, on a development gateway, one button
// that mints a development token for an organisation (POST /dev/token). Without a token the graph answers what
// anyone may read; aggregates are public.

/** The `org` claim of a token, for the header; a token is not verified here (the gateway does that). */
function organisationOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { org?: unknown };
    return typeof payload.org === 'string' ? payload.org : undefined;
  } catch {
    return undefined;
  }
}

export function renderSignIn(container: HTMLElement, changed: () => void): void {
  const token = storedToken();
  if (token) {
    const org = organisationOf(token);
    container.innerHTML = `<span data-signed-in>Signed in${org ? ` as ${escapeHtml(org)}` : ''}</span><button type="button" name="sign-out">Sign out</button>`;
  } else {
    container.innerHTML =
      '<input name="token" type="password" placeholder="Paste a token" aria-label="Token" autocomplete="off" />' +
      '<button type="button" name="use-token">Sign in</button>' +
      '<input name="org" value="cemr" aria-label="Organisation for a development token" size="8" />' +
      '<button type="button" name="dev-token" title="Development gateways only">Development token</button>' +
      '<span role="alert" class="sign-in-error"></span>';
  }
  const button = (name: string) => container.querySelector<HTMLButtonElement>(`button[name="${name}"]`);
  const input = (name: string) => container.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  const done = (value: string | undefined) => {
    storeToken(value);
    renderSignIn(container, changed);
    changed();
  };
  button('sign-out')?.addEventListener('click', () => done(undefined));
  button('use-token')?.addEventListener('click', () => {
    const value = input('token').value.trim().replace(/^Bearer\s+/i, '');
    if (value) done(value);
  });
  button('dev-token')?.addEventListener('click', async () => {
    try {
      done(await mintDevelopmentToken(input('org').value.trim() || 'cemr'));
    } catch (error) {
      container.querySelector('.sign-in-error')!.textContent = error instanceof Error ? error.message : String(error);
    }
  });
}
