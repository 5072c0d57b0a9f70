/* jwtauth browser client: access token in memory only, refresh token in an HttpOnly cookie.
 *
 *   const auth = JWTAuth.create({ base: "/api/auth/", origins: ["https://api.example.com"] });
 *   await auth.login({ username, password });
 *   const response = await auth.fetch("/api/profile/");
 *   auth.onChange((event, detail) => { if (event === "signed-out") explain(detail.reason); });
 *
 * fetch() sends the Bearer token and the CSRF header only to the page's own origin and the
 * configured `origins`; any other URL gets a plain fetch. It refreshes shortly before expiry
 * and once on a 401 token_expired.
 *
 * One refresh at a time across every tab of the site: a Web Lock (navigator.locks) serialises
 * them, and the new access token is shared over BroadcastChannel, so a tab that waited for the
 * lock finds a fresh token and does not refresh at all. Without Web Locks each tab refreshes on
 * its own; the server's REUSE_GRACE_SECONDS then hands tabs that refresh together the same
 * successor, so none is signed out.
 *
 * "signed-out" events carry detail.reason: "logout" (this tab), "elsewhere" (another tab or
 * device logged this session out), "revoked", "expired", "stolen" (a replayed refresh token
 * ended the session: warn the user), or null (there was no session).
 */
(function (global) {
  "use strict";

  const LOCK = "jwtauth-refresh";
  const ELSEWHERE = new Set(["logout", "logout_all"]);

  function readCookie(name) {
    const match = document.cookie.match(new RegExp("(?:^|;\\s*)" + name + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : "";
  }

  class AuthError extends Error {
    constructor(status, body, retryAfter) {
      super((body && body.detail) || "Request failed (" + status + ")");
      this.status = status;
      this.body = body || {};
      this.code = this.body.code || "";
      this.retryAfter = retryAfter ? Number(retryAfter) : null;
    }
  }

  /* Why a refresh refused the session, from its error code and revoke reason. */
  function reasonOf(error) {
    if (error.code === "token_reused") return "stolen";
    if (error.code === "token_expired") return "expired";
    if (error.code !== "token_revoked") return null;
    const why = error.body.reason;
    if (why === "reuse") return "stolen";
    if (why === "expired") return "expired";
    return ELSEWHERE.has(why) ? "elsewhere" : "revoked";
  }

  function create(options) {
    const opts = Object.assign(
      { base: "/api/auth/", skewSeconds: 30, csrfCookie: "csrftoken", origins: [], channel: "jwtauth" },
      options,
    );
    const trusted = new Set([global.location.origin].concat(opts.origins.map((o) => new URL(o).origin)));
    const locks = global.navigator && global.navigator.locks;
    const channel = "BroadcastChannel" in global ? new BroadcastChannel(opts.channel) : null;
    const listeners = new Set();
    let access = null;
    let expiresAt = 0;
    let skewMs = opts.skewSeconds * 1000;
    let generation = 0; // bumped by every new access token, this tab's or another's
    let inflight = null;
    let timer = null;

    function emit(event, detail) { listeners.forEach((fn) => fn(event, detail || {})); }

    /* Take an access token valid until `until` (ms); refresh this long before: the configured
     * skew, at most a fifth of the lifetime. */
    function adopt(token, until, lifetimeSeconds) {
      access = token;
      expiresAt = until;
      generation += 1;
      skewMs = Math.min(opts.skewSeconds * 1000, lifetimeSeconds * 200);
      clearTimeout(timer);
      const wait = Math.max(expiresAt - Date.now() - skewMs, 1000);
      timer = setTimeout(() => { refresh().catch(() => {}); }, wait);
      emit("signed-in");
    }

    function store(data) {
      adopt(data.access, Date.now() + data.expires_in * 1000, data.expires_in);
      if (channel) channel.postMessage({ type: "token", access: data.access, expiresAt, lifetime: data.expires_in });
      return data;
    }

    function clear(reason, broadcast) {
      access = null;
      expiresAt = 0;
      clearTimeout(timer);
      if (broadcast && channel) {
        channel.postMessage({ type: "signed-out", reason: reason === "logout" ? "elsewhere" : reason });
      }
      emit("signed-out", { reason });
    }

    if (channel) {
      channel.onmessage = (msg) => {
        const data = msg.data || {};
        if (data.type === "token") adopt(data.access, data.expiresAt, data.lifetime);
        else if (data.type === "signed-out") clear(data.reason || "elsewhere", false);
      };
    }

    function headers(extra) {
      return Object.assign({ "Content-Type": "application/json", "X-CSRFToken": readCookie(opts.csrfCookie) }, extra);
    }

    async function post(path, body, extraHeaders) {
      const response = await fetch(opts.base + path, {
        method: "POST", credentials: "same-origin", headers: headers(extraHeaders),
        body: JSON.stringify(body || {}),
      });
      const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
      if (!response.ok) throw new AuthError(response.status, data, response.headers.get("Retry-After"));
      return data;
    }

    /* Single-flight across tabs: whoever holds the lock refreshes; a tab that got a new token
     * (from the channel) while it waited uses that one instead. */
    function refresh() {
      if (inflight) return inflight;
      const seen = generation;
      const run = async () => {
        if (generation !== seen && access) return { access, shared: true };
        try {
          return store(await post("refresh/"));
        } catch (error) {
          if (error.status === 401 || error.status === 403) {
            const reason = reasonOf(error);
            clear(reason, reason !== null);
          }
          throw error;
        }
      };
      inflight = (locks ? locks.request(LOCK, run) : run()).finally(() => { inflight = null; });
      return inflight;
    }

    function isTrusted(url) {
      try {
        const href = typeof url === "string" ? url : url.url || String(url);
        return trusted.has(new URL(href, global.location.href).origin);
      } catch (error) {
        return false;
      }
    }

    async function authFetch(url, init) {
      // The token never leaves for a URL the site did not name, whatever a caller passes.
      if (!isTrusted(url)) return fetch(url, init);
      if (!access || Date.now() > expiresAt - skewMs) await refresh();
      const send = () => fetch(url, Object.assign({ credentials: "same-origin" }, init, {
        headers: Object.assign({}, init && init.headers, { Authorization: "Bearer " + access, "X-CSRFToken": readCookie(opts.csrfCookie) }),
      }));
      let response = await send();
      if (response.status === 401) {
        const body = await response.clone().json().catch(() => ({}));
        if (body.code === "token_expired" || body.code === "token_revoked") {
          // Expired: refresh once and retry. Revoked: the refresh tells why and signs out.
          try { await refresh(); } catch (error) { return response; }
          response = await send();
        } else {
          clear(null, true);
        }
      }
      return response;
    }

    return {
      AuthError,
      base: opts.base,
      login: (credentials) => post("login/", credentials).then(store),
      register: (fields) => post("register/", fields).then(store),
      refresh,
      fetch: authFetch,
      isSignedIn: () => access !== null,
      expiresAt: () => expiresAt,
      onChange: (fn) => { listeners.add(fn); return () => listeners.delete(fn); },
      async logout() {
        try { await post("logout/", {}, access ? { Authorization: "Bearer " + access } : {}); }
        finally { clear("logout", true); }
      },
      async logoutAll() {
        await authFetch(opts.base + "logout-all/", { method: "POST" });
        clear("logout", true);
      },
    };
  }

  global.JWTAuth = { create, AuthError };
})(window);
