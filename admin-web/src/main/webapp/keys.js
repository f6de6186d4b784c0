/* Ticket keys page: list, rotate, retire all. */
'use strict';
(function () {
  var R = Reprise;
  var tbody = document.querySelector('#keys-table tbody');

  async function load() {
    try {
      var keys = await R.call('GET', 'keys');
      var unreadable = await R.call('GET', 'keys/unreadable');
      tbody.textContent = '';
      keys.forEach(function (k) {
        var tr = R.el('tr', { 'data-fingerprint': k.fingerprint });
        tr.appendChild(R.el('td', null, k.generation));
        tr.appendChild(R.el('td', { 'class': 'fingerprint' }, k.fingerprint));
        tr.appendChild(R.el('td', null, R.time(k.created)));
        tr.appendChild(R.el('td', { title: R.time(k.encryptUntil) }, R.relative(k.encryptUntil)));
        tr.appendChild(R.el('td', { title: R.time(k.decryptUntil) }, R.relative(k.decryptUntil)));
        tr.appendChild(R.el('td', { 'class': 'state' }, k.state));
        tbody.appendChild(tr);
      });
      /* Stored keys this node cannot open: another node's data key. Their tickets are full handshakes here. */
      unreadable.forEach(function (k) {
        var tr = R.el('tr', { 'class': 'unreadable' });
        tr.appendChild(R.el('td', null, k.generation));
        tr.appendChild(R.el('td', { colspan: '3' }, 'sealed under data key ID ' + k.dataKeyId
            + ', which this node does not have'));
        tr.appendChild(R.el('td', { title: R.time(k.decryptUntil) }, R.relative(k.decryptUntil)));
        tr.appendChild(R.el('td', { 'class': 'state' }, 'unreadable here'));
        tbody.appendChild(tr);
      });
      if (keys.length === 0 && unreadable.length === 0) {
        var tr = R.el('tr');
        tr.appendChild(R.el('td', { colspan: '6' }, 'No key yet: the first ticket makes one.'));
        tbody.appendChild(tr);
      }
    } catch (e) {
      R.status(e.message, true);
    }
  }

  async function act(path, done) {
    try {
      var k = await R.call('POST', path);
      R.status(done + ' New encrypting key: ' + k.fingerprint);
    } catch (e) {
      R.status(e.message, true);
    }
    await load();
  }

  document.getElementById('rotate').addEventListener('click', function () {
    act('keys/rotate', 'Rotated.');
  });
  document.getElementById('retire-all').addEventListener('click', function () {
    if (!confirm('Retire ALL ticket keys? Every outstanding session ticket stops working, on every node; '
        + 'clients holding one will make a full handshake.')) {
      return;
    }
    act('keys/retire-all', 'Retired all keys.');
  });

  R.init().then(load);
})();
