// The OpenID Connect provider the SSO tests start (tests/deployment/test_sso.py): node-oidc-provider
// (OpenID Certified), configured like a municipality's IdP, on 127.0.0.1 only.
//
//   node server.mjs <port> <accounts.json> <clients.json>
//
// accounts.json: {"<username>": {claims...}}; read again at every lookup, so a test can change a
// user's groups or remove the user (de-provisioning) while the provider runs.
// clients.json: the registered clients (client_id, client_secret, redirect_uris).
// Login: /interaction/<uid> shows a form for the user name (no password: this is the test's IdP);
// consent is implied for the registered clients. Prints "ready <issuer>" when it listens.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const [port, accountsFile, clientsFile] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const accounts = () => JSON.parse(fs.readFileSync(accountsFile, 'utf8'));

const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-idp-1', alg: 'RS256', use: 'sig' };

// A de-provisioned user's IdP session logs no one in any more: the login prompt is required again
// (with prompt=none the client gets error=login_required), as when a directory disables an account.
const { Check, base } = interactionPolicy;
const policy = base();
policy.get('login').checks.add(new Check('account_gone', 'The account no longer exists', (ctx) => (
  ctx.oidc.session.accountId && !ctx.oidc.account ? Check.REQUEST_PROMPT : Check.NO_NEED_TO_PROMPT)));

const provider = new Provider(issuer, {
  interactions: { policy },
  clients: JSON.parse(fs.readFileSync(clientsFile, 'utf8')),
  jwks: { keys: [jwk] },
  cookies: { keys: ['sagsforloeb-test-idp-cookie-key'] },
  scopes: ['openid', 'email', 'profile', 'kommune', 'groups'],
  claims: {
    openid: ['sub'],
    email: ['email'],
    profile: ['given_name', 'family_name', 'preferred_username'],
    kommune: ['kommunekode'],
    groups: ['groups'],
  },
  features: { devInteractions: { enabled: false } },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Interaction: 600, Session: 3600, Grant: 3600 },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined; // de-provisioned: the session no longer logs anyone in
    return { accountId: id, async claims() { return { sub: id, ...account }; } };
  },
  async loadExistingGrant(ctx) {
    // First-party clients of the municipality: consent is implied.
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const grant = await ctx.oidc.provider.Grant.find(grantId);
      if (grant) return grant;
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile kommune groups');
    await grant.save();
    return grant;
  },
});

provider.on('server_error', (ctx, err) => console.error('server_error', err));

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const body = (req) => new Promise((resolve) => {
  let data = '';
  req.on('data', (chunk) => { data += chunk; });
  req.on('end', () => resolve(new URLSearchParams(data)));
});

const callback = provider.callback();
const server = http.createServer(async (req, res) => {
  try {
    if (req.url.startsWith('/interaction/')) {
      const { uid } = await provider.interactionDetails(req, res);
      if (req.method === 'POST') {
        const username = (await body(req)).get('username') || '';
        if (accounts()[username]) {
          await provider.interactionFinished(req, res, { login: { accountId: username } }, { mergeWithLastSubmission: false });
          return;
        }
        res.statusCode = 401;
      }
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><title>Test-IdP</title><form method="post" action="/interaction/${escape(uid)}">
        <label>Brugernavn <input name="username"></label><button>Log ind</button></form>`);
      return;
    }
    callback(req, res);
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
});
server.listen(Number(port), '127.0.0.1', () => console.log(`ready ${issuer}`));
for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => server.close(() => process.exit(0)));
