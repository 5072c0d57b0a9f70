/* jwtauth browser client: access token in memory only, refresh token in an HttpOnly cookie.
 *
 *   const auth = JWTAuth.create({ base: "/api/auth/" });
 *   await auth.login({ username, password });
 *   const response = await auth.fetch("/api/profile/");
 *
 * fetch() sends the Bearer token and the CSRF header, refreshes shortly before expiry and once
 * on a 401 token_expired, shares one refresh among concurrent calls, and signs every tab out
 * when one logs out.
 */
(function (global) {
  "use strict";

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

  function create(options) {
    const opts = Object.assign({ base: "/api/auth/", skewSeconds: 30, csrfCookie: "csrftoken" }, options);
    let access = null;
    let expiresAt = 0;
    let inflight = null;
    let timer = null;
    const listeners = new Set();
    const channel = "BroadcastChannel" in global ? new BroadcastChannel("jwtauth") : null;

    function emit(event) { listeners.forEach((fn) => fn(event)); }

    function clear(broadcast) {
      access = null;
      expiresAt = 0;
      clearTimeout(timer);
      if (broadcast && channel) channel.postMessage("signed-out");
      emit("signed-out");
    }

    if (channel) channel.onmessage = (msg) => { if (msg.data === "signed-out") clear(false); };

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

    /* Refresh this long before expiry: the configured skew, at most a fifth of the lifetime. */
    let skewMs = opts.skewSeconds * 1000;

    function store(data) {
      access = data.access;
      expiresAt = Date.now() + data.expires_in * 1000;
      skewMs = Math.min(opts.skewSeconds * 1000, data.expires_in * 200);
      clearTimeout(timer);
      const wait = Math.max(expiresAt - Date.now() - skewMs, 1000);
      timer = setTimeout(() => { refresh().catch(() => {}); }, wait);
      emit("signed-in");
      return data;
    }

    /* One refresh in flight at a time: concurrent callers share its promise. */
    function refresh() {
      if (!inflight) {
        inflight = post("refresh/")
          .then(store, (error) => { if (error.status === 401 || error.status === 403) clear(false); throw error; })
          .finally(() => { inflight = null; });
      }
      return inflight;
    }

    async function authFetch(url, init) {
      if (!access || Date.now() > expiresAt - skewMs) await refresh();
      const send = () => fetch(url, Object.assign({ credentials: "same-origin" }, init, {
        headers: Object.assign({}, init && init.headers, { Authorization: "Bearer " + access, "X-CSRFToken": readCookie(opts.csrfCookie) }),
      }));
      let response = await send();
      if (response.status === 401) {
        const body = await response.clone().json().catch(() => ({}));
        if (body.code === "token_expired") {
          await refresh();
          response = await send();
        } else {
          clear(true);
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
        finally { clear(true); }
      },
      async logoutAll() {
        await authFetch(opts.base + "logout-all/", { method: "POST" });
        clear(true);
      },
    };
  }

  global.JWTAuth = { create, AuthError };
})(window);
