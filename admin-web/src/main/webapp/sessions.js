/* Sessions page: list, filter, sort, page and purge. Values go in with textContent only. */
'use strict';
(function () {
  var R = Reprise;
  var state = { sort: 'created', desc: true, page: 0, size: 50, total: 0 };
  var tbody = document.querySelector('#sessions-table tbody');

  function filters() {
    var f = {};
    [['host', 'filter-host'], ['node', 'filter-node'], ['protocol', 'filter-protocol'], ['q', 'filter-text']]
      .forEach(function (p) {
        var v = document.getElementById(p[1]).value.trim();
        if (v) {
          f[p[0]] = v;
        }
      });
    return f;
  }

  function row(s) {
    var tr = R.el('tr', { 'data-id': s.id });
    var box = R.el('input', { type: 'checkbox', 'class': 'select', 'data-id': s.id, 'aria-label': 'select' });
    var check = R.el('td');
    check.appendChild(box);
    tr.appendChild(check);
    var id = R.el('td', { 'class': 'id', title: s.id }, s.shortId);
    id.addEventListener('click', function () {
      id.textContent = id.textContent === s.shortId ? s.id : s.shortId;
    });
    tr.appendChild(id);
    tr.appendChild(R.el('td', { 'class': 'sni', title: s.sniHost || '' }, s.sniHost || ''));
    tr.appendChild(R.el('td', null, s.hostConfig));
    tr.appendChild(R.el('td', null, s.protocol));
    tr.appendChild(R.el('td', null, s.cipherSuite));
    tr.appendChild(R.el('td', null, R.time(s.created)));
    tr.appendChild(R.el('td', { title: R.time(s.expires) }, R.relative(s.expires)));
    tr.appendChild(R.el('td', { title: R.time(s.lastResumed) }, s.lastResumed ? R.relative(s.lastResumed) : 'never'));
    tr.appendChild(R.el('td', null, s.resumeCount));
    tr.appendChild(R.el('td', null, s.node || ''));
    tr.appendChild(R.el('td', null, s.engine));
    var purge = R.el('button', { type: 'button', 'class': 'purge', 'data-id': s.id,
      title: 'Stops this session and those renewed from it on every node (see the note above the table)' }, 'Purge');
    purge.addEventListener('click', function () {
      act(function () { return R.call('DELETE', 'sessions/' + encodeURIComponent(s.id)); },
        'Purged session ' + s.shortId + '.');
    });
    var actions = R.el('td');
    actions.appendChild(purge);
    tr.appendChild(actions);
    return tr;
  }

  async function load() {
    var params = Object.assign({ sort: state.sort, desc: String(state.desc), page: state.page, size: state.size },
      filters());
    try {
      var data = await R.call('GET', 'sessions', params);
      state.total = data.total;
      tbody.textContent = '';
      data.sessions.forEach(function (s) { tbody.appendChild(row(s)); });
      if (data.sessions.length === 0) {
        var empty = R.el('td', { colspan: '13' }, 'No sessions match.');
        var tr = R.el('tr', { 'class': 'empty' });
        tr.appendChild(empty);
        tbody.appendChild(tr);
      }
      var pages = Math.max(1, Math.ceil(data.total / state.size));
      document.getElementById('total').textContent = '(' + data.total + ')';
      document.getElementById('page-info').textContent = 'Page ' + (state.page + 1) + ' of ' + pages;
      document.getElementById('prev').disabled = state.page === 0;
      document.getElementById('next').disabled = state.page + 1 >= pages;
      document.getElementById('select-all').checked = false;
      document.querySelectorAll('#sessions-table th[data-sort]').forEach(function (th) {
        th.className = th.getAttribute('data-sort') === state.sort ? (state.desc ? 'sorted-desc' : 'sorted-asc') : '';
      });
    } catch (e) {
      R.status(e.message, true);
    }
  }

  async function act(action, done) {
    try {
      var result = await action();
      R.status(typeof result.removed === 'number' ? done.replace('{n}', result.removed)
        : result.removed === false ? 'That session was already gone.' : done);
    } catch (e) {
      R.status(e.message, true);
    }
    await load();
  }

  document.getElementById('filters').addEventListener('submit', function (e) {
    e.preventDefault();
    state.page = 0;
    load();
  });
  document.querySelectorAll('#sessions-table th[data-sort]').forEach(function (th) {
    th.addEventListener('click', function () {
      var col = th.getAttribute('data-sort');
      state.desc = state.sort === col ? !state.desc : true;
      state.sort = col;
      state.page = 0;
      load();
    });
  });
  document.getElementById('prev').addEventListener('click', function () { state.page--; load(); });
  document.getElementById('next').addEventListener('click', function () { state.page++; load(); });
  document.getElementById('page-size').addEventListener('change', function (e) {
    state.size = parseInt(e.target.value, 10);
    state.page = 0;
    load();
  });
  document.getElementById('select-all').addEventListener('change', function (e) {
    document.querySelectorAll('#sessions-table input.select').forEach(function (b) { b.checked = e.target.checked; });
  });
  document.getElementById('purge-selected').addEventListener('click', function () {
    var ids = Array.prototype.map.call(document.querySelectorAll('#sessions-table input.select:checked'),
      function (b) { return b.getAttribute('data-id'); });
    if (ids.length === 0) {
      R.status('Select sessions first.', true);
      return;
    }
    act(function () { return R.call('POST', 'sessions/purge', {}, { ids: ids }); }, 'Purged {n} sessions.');
  });
  document.getElementById('purge-expired').addEventListener('click', function () {
    act(function () { return R.call('POST', 'sessions/purge-expired'); }, 'Purged {n} expired sessions.');
  });
  document.getElementById('purge-all').addEventListener('click', function () {
    if (!confirm('Purge ALL ' + state.total + ' sessions? Every session goes, on every node sharing the store, '
        + 'with the sessions renewed from them; clients will make full handshakes. The OpenSSL engine\'s '
        + 'stateless tickets keep working until every ticket key is retired.')) {
      return;
    }
    act(function () { return R.call('POST', 'sessions/purge-all'); }, 'Purged all sessions ({n}).');
  });

  R.init().then(load);
})();
