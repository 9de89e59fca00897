import { useGraphiQL } from '@graphiql/react';
import { useEffect, useState, type FormEvent } from 'react';
import { fetchDevelopmentToken, partnerRoles } from './dev-token.js';
import { hasAuthorization, withAuthorization } from './headers.js';

type Status = { kind: 'idle' } | { kind: 'busy' } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

/**
 * The product's header: its name, and the development-token form, which asks the gateway for a token (POST
 * /dev/token) and writes it into the headers editor of the open tab, and of every tab opened afterwards that has
 * no Authorization header yet (GraphiQL keeps headers per tab).
 */
export function ProductHeader() {
  const headerEditor = useGraphiQL((state) => state.headerEditor);
  const activeTabIndex = useGraphiQL((state) => state.activeTabIndex);
  const [org, setOrg] = useState('cemr');
  const [role, setRole] = useState<string>('viewer');
  const [token, setToken] = useState<string>();
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  useEffect(() => {
    if (!token || !headerEditor || hasAuthorization(headerEditor.getValue())) return;
    try {
      headerEditor.setValue(withAuthorization(headerEditor.getValue(), token));
    } catch {
      // This tab's headers are not JSON: left as the user wrote them; the button says why when pressed there.
    }
  }, [token, headerEditor, activeTabIndex]);

  async function mint(event: FormEvent) {
    event.preventDefault();
    if (!headerEditor) return;
    setStatus({ kind: 'busy' });
    try {
      const minted = await fetchDevelopmentToken({ org: org.trim(), role });
      headerEditor.setValue(withAuthorization(headerEditor.getValue(), minted.token));
      setToken(minted.token);
      setStatus({ kind: 'ok', text: `Token of a ${role} of ${org.trim()} in the headers, valid until ${new Date(minted.expiresAt).toLocaleString()}.` });
    } catch (error) {
      setStatus({ kind: 'error', text: (error as Error).message });
    }
  }

  return (
    <header className="explorer-header">
      <div className="explorer-title">
        <h1>Talent Hub graph explorer</h1>
        <p>Run GraphQL operations against this gateway. The tabs are the README's examples; a token goes in Headers.</p>
      </div>
      <form className="explorer-token" onSubmit={mint} aria-label="Development token">
        <label>
          Organisation <input value={org} onChange={(e) => setOrg(e.target.value)} size={14} required />
        </label>
        <label>
          Role{' '}
          <select value={role} onChange={(e) => setRole(e.target.value)}>
            {partnerRoles.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={status.kind === 'busy' || !headerEditor}>
          Development token
        </button>
        {status.kind === 'ok' || status.kind === 'error' ? (
          <output role="status" className={`explorer-status ${status.kind}`}>
            {status.text}
          </output>
        ) : null}
      </form>
    </header>
  );
}
