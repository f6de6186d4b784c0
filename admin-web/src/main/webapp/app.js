/* Reprise admin: shared helpers. Every value from the server goes in with textContent, never as markup. */
'use strict';
var Reprise = (function () {
  var token = null;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function connector() {
    return new URLSearchParams(location.search).get('connector') || '';
  }

  function url(path, params) {
    var q = new URLSearchParams(params || {});
    if (connector()) {
      q.set('connector', connector());
    }
    var s = q.toString();
    return 'api/' + path + (s ? '?' + s : '');
  }

  function status(message, isError) {
    var s = document.getElementById('status');
    if (s) {
      s.textContent = message || '';
      s.className = isError ? 'error' : '';
    }
  }

  async function fetchToken() {
    var r = await fetch('api/connectors', { headers: { 'X-CSRF-Token': 'Fetch' }, credentials: 'same-origin' });
    token = r.headers.get('X-CSRF-Token');
    return r;
  }

  async function call(method, path, params, body) {
    var headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      if (!token) {
        await fetchToken();
      }
      headers['X-CSRF-Token'] = token || '';
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    var r = await fetch(url(path, params), {
      method: method, headers: headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    var data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    if (!r.ok) {
      throw new Error((data && data.error) || ('HTTP ' + r.status));
    }
    return data;
  }

  function time(ms) {
    return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : 'never';
  }

  function relative(ms) {
    if (!ms) {
      return 'never';
    }
    var d = Math.round((ms - Date.now()) / 1000);
    var a = Math.abs(d);
    if (a < 2) {
      return 'just now';
    }
    var text = a < 90 ? a + ' s' : a < 5400 ? Math.round(a / 60) + ' min' : a < 129600 ? Math.round(a / 3600) + ' h'
      : Math.round(a / 86400) + ' d';
    return d >= 0 ? 'in ' + text : text + ' ago';
  }

  /* Fills the connector picker and marks the current page in the nav. */
  async function init() {
    var r = await fetchToken();
    var list = r.ok ? await r.json() : [];
    var select = document.getElementById('connector');
    if (select) {
      select.textContent = '';
      list.forEach(function (c) {
        var o = el('option', { value: c.name }, c.name + (c.node ? ' (' + c.node + ')' : ''));
        if (c.name === connector()) {
          o.selected = true;
        }
        select.appendChild(o);
      });
      select.addEventListener('change', function () {
        var q = new URLSearchParams(location.search);
        q.set('connector', select.value);
        location.search = q.toString();
      });
    }
    document.querySelectorAll('nav a').forEach(function (a) {
      var href = a.getAttribute('href');
      if (connector()) {
        a.setAttribute('href', href + '?connector=' + encodeURIComponent(connector()));
      }
      if (location.pathname.endsWith('/' + href) || (href === 'index.html' && location.pathname.endsWith('/'))) {
        a.className = 'current';
      }
    });
    if (list.length === 0) {
      status('No Reprise connector is running in this server.', true);
    }
    return list;
  }

  return { el: el, call: call, time: time, relative: relative, status: status, init: init };
})();
